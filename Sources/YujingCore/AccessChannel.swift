/// The access channels of the open platform (Art. 17).
public enum AccessChannel: String, Sendable, Codable, CaseIterable {
    /// File download.
    case download
    /// API access.
    case api
    /// Data sandbox.
    case sandbox
}
