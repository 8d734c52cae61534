import Crypto
import Foundation
import YujingCore

/// One configured call of the open-data platform's admin API: method, URL and body templates, extra headers
/// (e.g. the auth header). Templates use `{{name}}`; values are percent-encoded in the URL and JSON-escaped in
/// the body.
public struct PlatformCall: Sendable, Hashable, Codable {
    /// HTTP method (default POST).
    public var method: String
    /// URL template, e.g. `https://portal.example/admin/datasets/{{dataset}}/offline`.
    public var url: String
    /// Body template (JSON), optional.
    public var body: String?
    /// Extra headers, e.g. `Authorization: Bearer ...`.
    public var headers: [String: String]

    /// Creates a call.
    public init(method: String = "POST", url: String, body: String? = nil, headers: [String: String] = [:]) {
        self.method = method
        self.url = url
        self.body = body
        self.headers = headers
    }

    enum CodingKeys: String, CodingKey { case method, url, body, headers }

    /// Decodes with defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        method = try c.decodeIfPresent(String.self, forKey: .method) ?? "POST"
        url = try c.decode(String.self, forKey: .url)
        body = try c.decodeIfPresent(String.self, forKey: .body)
        headers = try c.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
    }
}

/// Calls the platform's admin API for withdrawals and restrictions, with an idempotency key so that a retried
/// call does nothing twice on a platform that honours `Idempotency-Key`.
public struct PlatformAdapter: Sendable {
    let calls: [String: PlatformCall]
    let poster: HTTPPoster

    /// Creates an adapter.
    /// - Parameters:
    ///   - calls: Calls by action (`withdraw`, `restore`, `restrict`, `lift`).
    ///   - timeout: Request timeout, seconds.
    public init(calls: [String: PlatformCall], timeout: TimeInterval = 10) {
        self.calls = calls
        poster = HTTPPoster(timeout: timeout)
    }

    /// Whether an action is configured.
    /// - Parameter action: Action name.
    /// - Returns: Whether a call exists.
    public func handles(_ action: String) -> Bool { calls[action] != nil }

    /// Renders a template.
    /// - Parameters:
    ///   - template: Text with `{{name}}` placeholders.
    ///   - values: Values.
    ///   - escape: How a value is escaped.
    /// - Returns: The text.
    static func render(_ template: String, _ values: [String: String], escape: (String) -> String) -> String {
        var out = template
        for (name, value) in values { out = out.replacingOccurrences(of: "{{\(name)}}", with: escape(value)) }
        return out
    }

    static func jsonEscape(_ text: String) -> String {
        guard let data = try? JSONEncoder().encode(text), let quoted = String(data: data, encoding: .utf8) else {
            return ""
        }
        return String(quoted.dropFirst().dropLast())
    }

    /// Performs an action once. The caller retries.
    /// - Parameters:
    ///   - action: `withdraw`, `restore`, `restrict` or `lift`.
    ///   - values: Template values.
    ///   - idempotencyKey: Same for every attempt of one measure.
    /// - Throws: ``ActionsError`` on transport failure or a non-2xx answer.
    public func perform(_ action: String, values: [String: String], idempotencyKey: String) async throws(ActionsError) {
        guard let call = calls[action] else { return }
        let urlText = Self.render(call.url, values) {
            $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/")))
                ?? ""
        }
        guard let url = URL(string: urlText) else { throw .encoding("platform.\(action): not a URL after rendering") }
        let body = call.body.map { Data(Self.render($0, values, escape: Self.jsonEscape).utf8) }
        var headers = call.headers
        headers["Idempotency-Key"] = idempotencyKey
        let status = try await poster.send(
            method: call.method, url: url, body: body, headers: headers, receiver: "platform.\(action)")
        guard (200..<300).contains(status) else { throw .httpStatus(receiver: "platform.\(action)", status: status) }
    }
}

/// Fetches a public URL and reports the status code (verification of a withdrawal: 403, 404 or 410 expected).
public struct URLProbe: Sendable {
    let poster: HTTPPoster

    /// Creates a probe.
    /// - Parameter timeout: Seconds.
    public init(timeout: TimeInterval = 5) { poster = HTTPPoster(timeout: timeout) }

    /// The status code of a GET.
    /// - Parameter url: URL.
    /// - Returns: Status.
    /// - Throws: ``ActionsError/transport(receiver:reason:)``.
    public func status(of url: URL) async throws(ActionsError) -> Int {
        try await poster.send(
            method: "GET", url: url, body: nil, headers: ["User-Agent": VerificationProbe.userAgent],
            receiver: "verification")
    }
}

/// Posts signed JSON documents (owner-agency notices) to a webhook: the body is signed like alert webhooks, with
/// `X-Yujing-Signature: sha256=<hex HMAC-SHA256>`.
public struct SignedJSONPoster: Sendable {
    let name: String
    let url: URL
    let secret: String
    let poster: HTTPPoster

    /// Creates a poster.
    public init(name: String, url: URL, secret: String, timeout: TimeInterval = 5) {
        self.name = name
        self.url = url
        self.secret = secret
        poster = HTTPPoster(timeout: timeout)
    }

    /// Posts a document.
    /// - Parameter document: Encodable document.
    /// - Throws: ``ActionsError``.
    public func post<T: Encodable>(_ document: T) async throws(ActionsError) {
        let body: Data
        do {
            body = try HTTPPoster.encoder().encode(document)
        } catch {
            throw .encoding("\(error)")
        }
        try await poster.post(
            url: url, body: body, headers: ["X-Yujing-Signature": WebhookSink.signature(body: body, secret: secret)],
            receiver: name)
    }
}
