/// How a dataset is opened (Art. 8, 11, 12).
public enum OpenCategory: String, Sendable, Codable, CaseIterable {
    /// Anyone may use it without applying.
    case unconditional
    /// Only subjects with a valid approved application may use it, within the approved scenario.
    case conditional
}
