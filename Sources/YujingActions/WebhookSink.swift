import Crypto
import Foundation

/// Posts warnings to a generic webhook, with an Alertmanager-webhook-like payload, signed with
/// `X-Yujing-Signature: sha256=<hex HMAC-SHA256 of the body>`.
public struct WebhookSink: NotificationSink {
    /// Name for logs.
    public let name: String
    let url: URL
    let secret: [UInt8]
    let poster: HTTPPoster

    /// Creates a sink.
    /// - Parameters:
    ///   - name: Receiver name (also the payload's `receiver`).
    ///   - url: Webhook URL.
    ///   - secret: HMAC key shared with the receiver.
    ///   - timeout: Request timeout in seconds.
    public init(name: String, url: URL, secret: String, timeout: TimeInterval = 5) {
        self.name = name
        self.url = url
        self.secret = Array(secret.utf8)
        poster = HTTPPoster(timeout: timeout)
    }

    struct Payload: Encodable {
        var version = "4"
        var receiver: String
        var status: String
        var groupKey: String
        var alerts: [AlertNotification]
        var commonLabels: [String: String]
    }

    /// The signature header value for a body.
    /// - Parameters:
    ///   - body: Body bytes.
    ///   - secret: Shared secret.
    /// - Returns: `sha256=<hex>`.
    public static func signature(body: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + Array(mac).map { String(format: "%02x", $0) }.joined()
    }

    /// Posts the signed payload.
    /// - Parameter notifications: Notifications.
    /// - Throws: ``ActionsError``.
    public func deliver(_ notifications: [AlertNotification]) async throws(ActionsError) {
        let firing = notifications.contains { $0.status == "firing" }
        var common = notifications.first?.labels ?? [:]
        for notification in notifications.dropFirst() {
            common = common.filter { notification.labels[$0.key] == $0.value }
        }
        let payload = Payload(
            receiver: name, status: firing ? "firing" : "resolved",
            groupKey: notifications.map(\.fingerprint).joined(separator: ","), alerts: notifications,
            commonLabels: common)
        let body: Data
        do {
            body = try HTTPPoster.encoder().encode(payload)
        } catch {
            throw .encoding("\(error)")
        }
        let signature = Self.signature(body: body, secret: String(decoding: secret, as: UTF8.self))
        try await poster.post(url: url, body: body, headers: ["X-Yujing-Signature": signature], receiver: name)
    }
}
