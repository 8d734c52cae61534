/// An approved application to use a conditionally opened dataset.
public struct ApprovedApplication: Sendable, Hashable, Codable {
    /// Subject id (user id or app key).
    public var subject: String
    /// Dataset id.
    public var dataset: String
    /// Purpose.
    public var purpose: String
    /// Usage scenario.
    public var scenario: String?
    /// Valid from, epoch ms.
    public var validFromMillis: Int64
    /// Valid to, epoch ms.
    public var validToMillis: Int64

    /// Creates an application.
    /// - Parameters:
    ///   - subject: Subject.
    ///   - dataset: Dataset.
    ///   - purpose: Purpose.
    ///   - scenario: Scenario.
    ///   - validFromMillis: From.
    ///   - validToMillis: To.
    public init(
        subject: String, dataset: String, purpose: String, scenario: String? = nil, validFromMillis: Int64,
        validToMillis: Int64
    ) {
        self.subject = subject
        self.dataset = dataset
        self.purpose = purpose
        self.scenario = scenario
        self.validFromMillis = validFromMillis
        self.validToMillis = validToMillis
    }
}
