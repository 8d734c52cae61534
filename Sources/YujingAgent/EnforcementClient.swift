import AsyncHTTPClient
import Foundation
import NIOCore

/// Fetches `GET /api/v1/enforcement` and posts `POST /api/v1/enforcement/report` with the agent token.
struct EnforcementClient: Sendable {
    let client: HTTPClient
    let documentURL: String
    let reportURL: String
    let token: String
    let timeout: TimeAmount

    init(configuration: AgentConfiguration) {
        client = ClientCache.shared.client(
            caFile: configuration.caFile, connectTimeoutMillis: configuration.connectTimeoutMillis)
        var base = configuration.centerURL
        while base.hasSuffix("/") { base.removeLast() }
        documentURL = base + "/api/v1/enforcement"
        reportURL = base + "/api/v1/enforcement/report"
        token = configuration.token
        timeout = .milliseconds(Int64(configuration.requestTimeoutMillis))
    }

    /// The current document.
    /// - Throws: ``AgentError/unreachable(reason:)`` on a network error or a non-2xx status,
    ///   ``AgentError/encoding(_:)`` on a malformed body.
    func fetch() async throws(AgentError) -> EnforcementDocument {
        var request = HTTPClientRequest(url: documentURL)
        request.method = .GET
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        let body: ByteBuffer
        do {
            let response = try await client.execute(request, timeout: timeout)
            body = try await response.body.collect(upTo: 64 << 20)
            guard (200..<300).contains(response.status.code) else {
                throw AgentError.unreachable(reason: "GET /api/v1/enforcement: HTTP \(response.status.code)")
            }
        } catch let error as AgentError {
            throw error
        } catch {
            throw .unreachable(reason: String(String(describing: error).prefix(200)))
        }
        return try EnforcementDocument.decode(Array(buffer: body))
    }

    /// Posts a report.
    /// - Throws: ``AgentError/unreachable(reason:)`` on a network error or a non-2xx status.
    func send(_ report: EnforcementReport) async throws(AgentError) {
        var request = HTTPClientRequest(url: reportURL)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try report.json()))
        do {
            let response = try await client.execute(request, timeout: timeout)
            _ = try await response.body.collect(upTo: 1 << 20)
            guard (200..<300).contains(response.status.code) else {
                throw AgentError.unreachable(reason: "POST /api/v1/enforcement/report: HTTP \(response.status.code)")
            }
        } catch let error as AgentError {
            throw error
        } catch {
            throw .unreachable(reason: String(String(describing: error).prefix(200)))
        }
    }
}
