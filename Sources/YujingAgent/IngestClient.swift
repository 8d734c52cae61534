import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// Posts gzip'd batches to the center's `POST /api/v1/ingest` with the agent token.
///
/// AsyncHTTPClient rather than URLSession: FoundationNetworking's URLSession on Linux has no way to trust a
/// private CA for one session (no trust-evaluation delegate, no CA-file option), and the agent must verify the
/// center against `ca_file`. Here `ca_file` becomes the only trust root of a NIOSSL client configuration.
struct IngestClient: Sendable {
    enum Outcome: Sendable, Equatable {
        /// Stored, or a duplicate of a stored batch.
        case accepted(duplicate: Bool)
        /// Refused for good (400, 413, 422): re-sending would never succeed.
        case rejected(status: Int, reason: String)
        /// Network error, 401/403 (token problem, fixable by an operator), 429, 5xx: retry later.
        case retry(reason: String)
    }

    let client: HTTPClient
    let ingestURL: String
    let token: String
    let timeout: TimeAmount

    init(centerURL: String, token: String, caFile: String?, timeoutMillis: Int, connectTimeoutMillis: Int)
        throws(AgentError)
    {
        client = ClientCache.shared.client(caFile: caFile, connectTimeoutMillis: connectTimeoutMillis)
        var base = centerURL
        while base.hasSuffix("/") { base.removeLast() }
        ingestURL = base + "/api/v1/ingest"
        self.token = token
        self.timeout = .milliseconds(Int64(timeoutMillis))
    }

    /// Sends one gzip'd batch body.
    func send(gzippedBody: [UInt8]) async -> Outcome {
        var request = HTTPClientRequest(url: ingestURL)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Content-Encoding", value: "gzip")
        request.body = .bytes(ByteBuffer(bytes: gzippedBody))
        do {
            let response = try await client.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 1 << 20)
            let text = String(buffer: body)
            switch response.status.code {
            case 200..<300:
                return .accepted(duplicate: text.contains("\"duplicate\""))
            case 400, 413, 422:
                return .rejected(status: Int(response.status.code), reason: String(text.prefix(300)))
            default:
                return .retry(reason: "HTTP \(response.status.code)")
            }
        } catch {
            return .retry(reason: String(String(describing: error).prefix(200)))
        }
    }

}

/// HTTP clients for the life of the process, one per CA file and connect timeout (an AsyncHTTPClient client
/// must be shut down before it is released; these never are). A short connect timeout makes an unreachable center
/// fail fast (the pool otherwise keeps retrying the connection until the request's deadline).
// @unchecked Sendable: `clients` is only touched under `lock`.
final class ClientCache: @unchecked Sendable {
    static let shared = ClientCache()
    private let lock = NSLock()
    private var clients: [String: HTTPClient] = [:]

    func client(caFile: String?, connectTimeoutMillis: Int) -> HTTPClient {
        let key = "\(caFile ?? "")|\(connectTimeoutMillis)"
        lock.lock()
        defer { lock.unlock() }
        if let existing = clients[key] { return existing }
        var configuration = HTTPClient.Configuration()
        if let caFile {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(caFile)
            configuration.tlsConfiguration = tls
        }
        configuration.timeout = .init(connect: .milliseconds(Int64(connectTimeoutMillis)))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        clients[key] = client
        return client
    }
}
