import Foundation
import Testing

@testable import YujingAgent

@Suite struct NginxRendererTests {
    typealias Restriction = EnforcementDocument.Restriction
    typealias Withdrawal = EnforcementDocument.Withdrawal

    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func renderer(burst: Int = 5, status: Int = 410) -> NginxRenderer {
        var settings = NginxEnforcement(
            httpInclude: "/etc/nginx/yujing/http.conf", serverInclude: "/etc/nginx/yujing/server.conf")
        settings.subjectVariables["app_key"] = "$arg_appKey"
        settings.subjectVariables["user"] = "$http_x_user_id"
        settings.throttleBurst = burst
        settings.withdrawnStatus = status
        return NginxRenderer(settings: settings)
    }

    @Test func nothingInForceRendersCommentOnlyFiles() {
        let rendering = renderer().render(EnforcementDocument(version: "v0"), now: now)
        #expect(rendering.http == NginxRenderer.header)
        #expect(rendering.server == NginxRenderer.header)
        #expect(rendering.skipped.isEmpty)
        #expect(rendering.http.split(separator: "\n").allSatisfy { $0.hasPrefix("#") })
    }

    @Test func everyMeasureAndKindRendersToItsBlock() {
        let document = EnforcementDocument(
            version: "v1",
            withdrawals: [
                Withdrawal(id: 3, dataset: "ds-1", urlPatterns: ["/datasets/ds-1/**", "/api/v1/datasets/ds-1/*.csv"])
            ],
            restored: [Withdrawal(id: 2, dataset: "ds-0", urlPatterns: ["/datasets/ds-0/**"])],
            restrictions: [
                Restriction(id: 5, subjectKind: "app_key", subject: "k-abc", measure: "suspend", until: now + 60),
                Restriction(id: 6, subjectKind: "cidr", subject: "10.1.0.0/16", measure: "throttle", ratePerMinute: 30),
                Restriction(id: 7, subjectKind: "ip", subject: "192.0.2.7", measure: "close"),
                Restriction(id: 8, subjectKind: "user", subject: "u42", measure: "suspend"),
                Restriction(id: 9, subjectKind: "app_key", subject: "k-slow", measure: "throttle", ratePerMinute: 30),
            ])
        let rendering = renderer().render(document, now: now)
        #expect(rendering.skipped.isEmpty)
        #expect(
            rendering.http == NginxRenderer.header + """
                map $uri $yujing_withdrawn {
                    default 0;
                    "~^/api/v1/datasets/ds-1/[^/]*\\\\.csv$" 1;
                    "~^/datasets/ds-1/.*$" 1;
                }
                geo $remote_addr $yujing_ip_denied {
                    default 0;
                    192.0.2.7 1;
                }
                map $arg_appKey $yujing_app_key_denied {
                    default 0;
                    "~^k-abc$" 1;
                }
                map $http_x_user_id $yujing_user_denied {
                    default 0;
                    "~^u42$" 1;
                }
                map $arg_appKey $yujing_app_key_30 {
                    default "";
                    "~^k-slow$" \(NginxRenderer.token(kind: "app_key", subject: "k-slow"));
                }
                limit_req_zone $yujing_app_key_30 zone=yujing_app_key_30:1m rate=30r/m;
                geo $remote_addr $yujing_ip_30 {
                    default "";
                    10.1.0.0/16 \(NginxRenderer.token(kind: "cidr", subject: "10.1.0.0/16"));
                }
                limit_req_zone $yujing_ip_30 zone=yujing_ip_30:1m rate=30r/m;

                """)
        #expect(
            rendering.server == NginxRenderer.header + """
                if ($yujing_withdrawn) {
                    return 410;
                }
                if ($yujing_ip_denied) {
                    return 403;
                }
                if ($yujing_app_key_denied) {
                    return 403;
                }
                if ($yujing_user_denied) {
                    return 403;
                }
                limit_req_status 429;
                limit_req zone=yujing_app_key_30 burst=5 nodelay;
                limit_req zone=yujing_ip_30 burst=5 nodelay;

                """)
        // Restored datasets are no longer denied.
        #expect(!rendering.http.contains("ds-0"))
    }

    @Test func outputIsDeterministicWhateverTheOrder() {
        var restrictions = (1...40).map {
            Restriction(
                id: Int64($0), subjectKind: ["app_key", "user", "ip", "cidr"][$0 % 4],
                subject: $0 % 4 >= 2 ? "10.0.\($0).\($0 % 4 == 3 ? "0/24" : "1")" : "s-\($0)",
                measure: ["suspend", "close", "throttle"][$0 % 3], ratePerMinute: 10 * ($0 % 2 + 1))
        }
        var withdrawals = (1...10).map {
            Withdrawal(id: Int64($0), dataset: "ds-\($0)", urlPatterns: ["/d/ds-\($0)/**"])
        }
        let first = renderer().render(
            EnforcementDocument(version: "a", withdrawals: withdrawals, restrictions: restrictions), now: now)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5 {
            restrictions.shuffle(using: &generator)
            withdrawals.shuffle(using: &generator)
            let again = renderer().render(
                EnforcementDocument(version: "b", withdrawals: withdrawals, restrictions: restrictions), now: now)
            #expect(again == first)
        }
        // Duplicates collapse.
        let doubled = renderer().render(
            EnforcementDocument(
                version: "c", withdrawals: withdrawals + withdrawals, restrictions: restrictions + restrictions),
            now: now)
        #expect(doubled.http == first.http)
        #expect(doubled.server == first.server)
    }

    @Test func urlPatternsBecomeAnchoredEscapedRegexes() throws {
        #expect(NginxRenderer.urlRegex("/datasets/ds-1/**") == "/datasets/ds-1/.*")
        #expect(NginxRenderer.urlRegex("/datasets/*/file.csv") == "/datasets/[^/]*/file\\\\.csv")
        #expect(
            NginxRenderer.urlRegex("/a+b(c)[d]{2}|$x^ y?")
                == "/a\\\\+b\\\\(c\\\\)\\\\[d\\\\]\\\\{2\\\\}\\\\|\\\\$x\\\\^\\\\ y\\\\?")
        #expect(NginxRenderer.urlRegex("/数据/**") == "/数据/.*")
        #expect(NginxRenderer.urlRegex("relative/**") == nil)
        #expect(NginxRenderer.urlRegex("/a\"b") == nil)
        #expect(NginxRenderer.urlRegex("/a\\b") == nil)
        #expect(NginxRenderer.urlRegex("/a\nb") == nil)
        // The regexes behave like the pattern language (checked with NSRegularExpression after undoing nginx's \\).
        func matches(_ pattern: String, _ path: String) throws -> Bool {
            let body = try #require(NginxRenderer.urlRegex(pattern)).replacingOccurrences(of: "\\\\", with: "\\")
            let regex = try NSRegularExpression(pattern: "^" + body + "$")
            return regex.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
        }
        #expect(try matches("/datasets/ds-1/**", "/datasets/ds-1/a/b/c.csv"))
        #expect(try !matches("/datasets/ds-1/**", "/datasets/ds-10/a.csv"))
        #expect(try matches("/datasets/*/x.csv", "/datasets/ds-1/x.csv"))
        #expect(try !matches("/datasets/*/x.csv", "/datasets/ds-1/sub/x.csv"))
        #expect(try !matches("/datasets/ds.1/x", "/datasets/dsX1/x"))
    }

    @Test func hostileOrInvalidSubjectsAreSkippedAndNamedByIDOnly() {
        let hostile = [
            "k\"; } server { listen 80; #", "k'x", "k\\x", "k\nx", "k\rx", "k\u{0}x", "k\u{85}x", "k\u{2028}x",
            String(repeating: "k", count: 513), "",
        ]
        var restrictions = hostile.enumerated().map {
            Restriction(id: Int64($0.offset + 1), subjectKind: "app_key", subject: $0.element, measure: "suspend")
        }
        restrictions += [
            Restriction(id: 100, subjectKind: "ip", subject: "10.0.0.1; deny all", measure: "suspend"),
            Restriction(id: 101, subjectKind: "ip", subject: "10.0.0.0/8", measure: "suspend"),
            Restriction(id: 102, subjectKind: "cidr", subject: "10.0.0.0/33", measure: "suspend"),
            Restriction(id: 103, subjectKind: "cidr", subject: "10.0.0.0", measure: "suspend"),
            Restriction(id: 104, subjectKind: "device", subject: "d1", measure: "suspend"),
            Restriction(id: 105, subjectKind: "app_key", subject: "k1", measure: "warn"),
            Restriction(id: 106, subjectKind: "app_key", subject: "k1", measure: "throttle", ratePerMinute: nil),
            Restriction(id: 107, subjectKind: "app_key", subject: "k1", measure: "throttle", ratePerMinute: 0),
        ]
        let document = EnforcementDocument(
            version: "h", withdrawals: [Withdrawal(id: 1, dataset: "x", urlPatterns: ["/a\"; return 200; #"])],
            restrictions: restrictions)
        let rendering = renderer().render(document, now: now)
        #expect(rendering.http == NginxRenderer.header)
        #expect(rendering.server == NginxRenderer.header)
        #expect(Set(rendering.skipped.filter { $0.kind == "restriction" }.map(\.id)) == Set(restrictions.map(\.id)))
        #expect(rendering.skipped.contains { $0.kind == "withdrawal" && $0.id == 1 })
        for skip in rendering.skipped {
            #expect(!skip.reason.contains("server {") && !skip.reason.contains("deny all"))
        }
    }

    @Test func punctuationInSubjectsIsEscapedNotInterpreted() throws {
        let document = EnforcementDocument(
            version: "p",
            restrictions: [Restriction(id: 1, subjectKind: "app_key", subject: "k;}{$x y#", measure: "suspend")])
        let rendering = renderer().render(document, now: now)
        #expect(rendering.http.contains("\"~^k\\\\;\\\\}\\\\{\\\\$x\\\\ y\\\\#$\" 1;"))
        // Every line inside the block is one quoted regex, one value and a semicolon.
        let line = try #require(rendering.http.split(separator: "\n").first { $0.contains("~^k") })
        #expect(line.filter { $0 == "\"" }.count == 2)
        #expect(line.hasSuffix("\" 1;"))
    }

    @Test func addressesAreCanonicalAndNetworksMasked() {
        #expect(NginxRenderer.canonicalAddress("192.0.2.7", network: false) == "192.0.2.7")
        #expect(NginxRenderer.canonicalAddress("10.1.2.3/16", network: true) == "10.1.0.0/16")
        #expect(NginxRenderer.canonicalAddress("2001:DB8:0:0::1", network: false) == "2001:db8::1")
        #expect(NginxRenderer.canonicalAddress("2001:db8::ff/32", network: true) == "2001:db8::/32")
        #expect(NginxRenderer.canonicalAddress("0.0.0.0/0", network: true) == "0.0.0.0/0")
        #expect(NginxRenderer.canonicalAddress("300.1.1.1", network: false) == nil)
        #expect(NginxRenderer.canonicalAddress("10.0.0.1/8", network: false) == nil)
        #expect(NginxRenderer.canonicalAddress("10.0.0.1/+8", network: true) == nil)
        #expect(NginxRenderer.canonicalAddress("example.com", network: false) == nil)
    }

    @Test func expiredRestrictionsAndMissingVariablesAreLeftOut() {
        var settings = NginxEnforcement(httpInclude: "/h", serverInclude: "/s")
        settings.subjectVariables["app_key"] = "$arg_appKey"
        let document = EnforcementDocument(
            version: "e",
            restrictions: [
                Restriction(id: 1, subjectKind: "app_key", subject: "old", measure: "suspend", until: now - 1),
                Restriction(id: 2, subjectKind: "app_key", subject: "new", measure: "suspend", until: now + 1),
                Restriction(id: 3, subjectKind: "user", subject: "u1", measure: "suspend"),
            ])
        let rendering = NginxRenderer(settings: settings).render(document, now: now)
        #expect(!rendering.http.contains("old"))
        #expect(rendering.http.contains("~^new$"))
        #expect(!rendering.http.contains("u1"))
        #expect(rendering.skipped == [.init(kind: "restriction", id: 3, reason: "no nginx subject variable for user")])
        let later = NginxRenderer(settings: settings).render(document, now: now + 2)
        #expect(later.http == NginxRenderer.header)
    }

    @Test func variableNamesAreValidated() {
        #expect(NginxRenderer.isVariableName("$arg_appKey"))
        #expect(NginxRenderer.isVariableName("$http_x_user_id"))
        #expect(!NginxRenderer.isVariableName("arg_appKey"))
        #expect(!NginxRenderer.isVariableName("$"))
        #expect(!NginxRenderer.isVariableName("$1abc"))
        #expect(!NginxRenderer.isVariableName("$a b"))
        #expect(!NginxRenderer.isVariableName("$a;deny"))
    }
}
