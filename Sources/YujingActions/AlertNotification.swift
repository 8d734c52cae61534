import Foundation

/// A warning as told to receivers (Alertmanager's alert shape). Masked values only.
public struct AlertNotification: Sendable, Hashable, Codable {
    /// `firing` or `resolved`.
    public var status: String
    /// Labels: `alertname`, `level`, `rule`, `subject`/`dataset` where they apply, and the rule's labels.
    public var labels: [String: String]
    /// Annotations (`summary`, `description`, `evidence`).
    public var annotations: [String: String]
    /// When the warning started.
    public var startsAt: Date
    /// When it ended (resolved), if it did.
    public var endsAt: Date?
    /// Link back to the warning in the daemon's API.
    public var generatorURL: String
    /// Fingerprint.
    public var fingerprint: String

    /// Creates a notification.
    /// - Parameters:
    ///   - status: `firing` or `resolved`.
    ///   - labels: Labels.
    ///   - annotations: Annotations.
    ///   - startsAt: Start.
    ///   - endsAt: End.
    ///   - generatorURL: Link.
    ///   - fingerprint: Fingerprint.
    public init(
        status: String, labels: [String: String], annotations: [String: String], startsAt: Date, endsAt: Date?,
        generatorURL: String, fingerprint: String
    ) {
        self.status = status
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
        self.fingerprint = fingerprint
    }
}
