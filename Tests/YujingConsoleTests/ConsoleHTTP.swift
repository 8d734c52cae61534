import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Sign-in and form posts at the HTTP level (cookies handled by hand).
enum ConsoleHTTP {
    static func setCookies(_ response: TestResponse) -> [String] { response.headers[values: .setCookie] }

    static func cookieValue(_ response: TestResponse, _ name: String) -> String? {
        for header in setCookies(response) where header.hasPrefix("\(name)=") {
            let value = header.dropFirst(name.count + 1).prefix { $0 != ";" }
            return String(value)
        }
        return nil
    }

    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: #"name="csrf" value="[0-9a-f]{64}""#, options: .regularExpression) else {
            return nil
        }
        return String(html[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
    }

    static func form(_ fields: [String: String]) -> ByteBuffer {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return ByteBuffer(
            string: fields.map {
                "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
            }.joined(separator: "&"))
    }

    static func headers(cookie: String?, extra: HTTPFields = [:]) -> HTTPFields {
        var fields = extra
        fields[.contentType] = "application/x-www-form-urlencoded"
        if let cookie { fields[.cookie] = cookie }
        return fields
    }

    /// Signs in; returns the session cookie (`yj_session=...`), the session's CSRF token (read from the board unless
    /// `readBoard` is false) and the sign-in response.
    static func signIn(
        _ client: any TestClientProtocol, token: String, extra: HTTPFields = [:], readBoard: Bool = true
    ) async throws -> (cookie: String, csrf: String, response: TestResponse) {
        let page = try await client.execute(uri: "/console/login", method: .get, headers: extra)
        #expect(page.status == .ok)
        let loginCookie = try #require(cookieValue(page, "yj_login"))
        let loginCSRF = try #require(csrf(in: String(buffer: page.body)))
        let response = try await client.execute(
            uri: "/console/login", method: .post, headers: headers(cookie: "yj_login=\(loginCookie)", extra: extra),
            body: form(["csrf": loginCSRF, "token": token, "next": "/console/warnings"]))
        guard let session = cookieValue(response, "yj_session"), !session.isEmpty else {
            return ("", "", response)
        }
        guard readBoard else { return ("yj_session=\(session)", "", response) }
        let board = try await client.execute(
            uri: "/console/warnings", method: .get, headers: [.cookie: "yj_session=\(session)"])
        let token = try #require(csrf(in: String(buffer: board.body)))
        return ("yj_session=\(session)", token, response)
    }
}
