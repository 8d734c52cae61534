import Foundation

/// Pushes warnings to Prometheus Alertmanager's v2 API (`POST /api/v2/alerts`).
public struct AlertmanagerSink: NotificationSink {
    /// Name for logs.
    public let name: String
    let endpoint: URL
    let poster: HTTPPoster

    /// Creates a sink.
    /// - Parameters:
    ///   - baseURL: Alertmanager's base URL, e.g. `http://127.0.0.1:9093`.
    ///   - timeout: Request timeout in seconds.
    public init(baseURL: URL, timeout: TimeInterval = 5) {
        name = "alertmanager"
        endpoint = baseURL.appendingPathComponent("api/v2/alerts")
        poster = HTTPPoster(timeout: timeout)
    }

    struct PostableAlert: Encodable {
        var labels: [String: String]
        var annotations: [String: String]
        var startsAt: Date
        var endsAt: Date?
        var generatorURL: String
    }

    /// Posts the notifications as Alertmanager `PostableAlerts`.
    /// - Parameter notifications: Notifications.
    /// - Throws: ``ActionsError``.
    public func deliver(_ notifications: [AlertNotification]) async throws(ActionsError) {
        let alerts = notifications.map {
            PostableAlert(
                labels: $0.labels, annotations: $0.annotations, startsAt: $0.startsAt, endsAt: $0.endsAt,
                generatorURL: $0.generatorURL)
        }
        let body: Data
        do {
            body = try HTTPPoster.encoder().encode(alerts)
        } catch {
            throw .encoding("\(error)")
        }
        try await poster.post(url: endpoint, body: body, headers: [:], receiver: name)
    }
}
