import ArgumentParser
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Where the center is and the operator token: `--server`/`YUJING_SERVER` (default `http://127.0.0.1:8640`),
/// `--token-file`/`YUJING_TOKEN_FILE` or `YUJING_TOKEN`.
struct ServerOptions: ParsableArguments {
    @Option(name: .long, help: "Center URL (default: $YUJING_SERVER or http://127.0.0.1:8640).")
    var server: String?

    @Option(name: .long, help: "File holding the operator token (default: $YUJING_TOKEN_FILE; or set $YUJING_TOKEN).")
    var tokenFile: String?

    func client() throws -> APIClient {
        let environment = ProcessInfo.processInfo.environment
        let base = server ?? environment["YUJING_SERVER"] ?? "http://127.0.0.1:8640"
        guard let url = URL(string: base), url.scheme != nil else { throw ValidationError("--server: not a URL: \(base)") }
        var token = environment["YUJING_TOKEN"]
        if let path = tokenFile ?? environment["YUJING_TOKEN_FILE"] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("cannot read the token file \(path)")
            }
            token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let token, !token.isEmpty else {
            throw ValidationError("no operator token: set YUJING_TOKEN or pass --token-file")
        }
        return APIClient(base: url, token: token)
    }
}

/// A failed API call: the server's message and status.
struct APIError: Error, CustomStringConvertible {
    var status: Int
    var message: String
    var description: String { status == 0 ? message : "HTTP \(status): \(message)" }
}

/// A small blocking-style client of the center's `/api/v1`.
struct APIClient: Sendable {
    let base: URL
    let token: String

    /// A path with its query string: parameters without a value are left out, values are percent-encoded.
    static func path(_ path: String, query: [(String, String?)]) -> String {
        let pairs = query.compactMap { name, value in
            value.map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" }
        }
        return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
    }

    /// One path segment, percent-encoded so that a `/` or `%` in it stays data.
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/%")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    func request(_ method: String, _ path: String, json: [String: Any]? = nil, accept: String = "application/json")
        async throws -> Data
    {
        guard let url = URL(string: path, relativeTo: base) else { throw APIError(status: 0, message: "bad path \(path)") }
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue(accept, forHTTPHeaderField: "Accept")
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw APIError(status: 0, message: "cannot reach \(base.absoluteString): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            let message =
                (object?["error"] as? [String: Any])?["message"] as? String
                ?? String(decoding: data.prefix(500), as: UTF8.self)
            throw APIError(status: status, message: message)
        }
        return data
    }

    func object(_ method: String, _ path: String, json: [String: Any]? = nil) async throws -> [String: Any] {
        let data = try await request(method, path, json: json)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw APIError(status: 0, message: "unexpected answer from \(path)")
        }
        return object
    }
}

/// Output helpers shared by the operator commands.
enum OperatorOutput {
    static func printJSON(_ object: Any) {
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        if let data = try? JSONSerialization.data(withJSONObject: object, options: options) {
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
    }

    /// A plain table: columns padded to their widest cell (display width counts CJK as two).
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        func width(_ text: String) -> Int {
            text.unicodeScalars.reduce(0) { $0 + (($1.value >= 0x1100 && $1.value <= 0xFFEF) ? 2 : 1) }
        }
        var widths = header.map(width)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], width(cell)) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - width(cell))
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    static func text(_ value: Any?) -> String {
        switch value {
        case let string as String: string
        case let number as NSNumber: number.stringValue
        case nil, is NSNull: "—"
        default: "\(value!)"
        }
    }

    static func fail(_ error: Error, command: String) -> Never {
        FileHandle.standardError.write(Data("yujing \(command): \(error)\n".utf8))
        exit(error is APIError ? 1 : 2)
    }
}
