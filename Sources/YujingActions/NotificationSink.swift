/// A receiver of warnings (Alertmanager, a webhook, a test double).
public protocol NotificationSink: Sendable {
    /// Name for logs and metrics.
    var name: String { get }

    /// Delivers notifications; throws so the dispatcher retries.
    /// - Parameter notifications: One or more notifications.
    /// - Throws: ``ActionsError``.
    func deliver(_ notifications: [AlertNotification]) async throws(ActionsError)
}
