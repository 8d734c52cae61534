import YujingCore

/// A dataset in the open-data catalogue.
public struct DatasetRecord: Sendable, Hashable, Codable {
    /// Dataset id.
    public var id: String
    /// Title.
    public var title: String
    /// Owning agency.
    public var ownerAgency: String
    /// Unconditional or conditional opening.
    public var openCategory: OpenCategory
    /// URL patterns under which it is served.
    public var urlPatterns: [String]
    /// Released file paths.
    public var filePaths: [String]
    /// A public URL of the dataset, fetched to verify a withdrawal (expect 403, 404 or 410).
    public var publicURL: String?
    /// The drill that created this entry (drill datasets are removed when the drill ends).
    public var drill: String?

    /// Creates a dataset.
    /// - Parameters:
    ///   - id: Id.
    ///   - title: Title.
    ///   - ownerAgency: Agency.
    ///   - openCategory: Category.
    ///   - urlPatterns: URL patterns.
    ///   - filePaths: File paths.
    public init(
        id: String, title: String, ownerAgency: String, openCategory: OpenCategory, urlPatterns: [String] = [],
        filePaths: [String] = [], publicURL: String? = nil, drill: String? = nil
    ) {
        self.drill = drill
        self.publicURL = publicURL
        self.id = id
        self.title = title
        self.ownerAgency = ownerAgency
        self.openCategory = openCategory
        self.urlPatterns = urlPatterns
        self.filePaths = filePaths
    }
}
