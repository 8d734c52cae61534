import YujingCore

/// Detection over one file: receives its values (cells, lines, document scalars) in order, applies column
/// headers, keyword context, organisation-directory semantics and column profiling, and produces
/// ``Finding``s (masked values and keyed hashes only).
///
/// A session is a value owned by one file scan; call ``drain()`` regularly to take the findings that are
/// ready (findings in columns still being profiled are held back, a bounded number per column), and
/// ``finish()`` at the end.
public struct DetectionSession {
    private let detector: IdentifierDetector
    private let file: String
    private var fieldNames: [Int: String] = [:]
    private var fieldTopics: [Int: ContextTopics] = [:]
    private var tableTopics: ContextTopics = []
    private var sheet: String?
    private var profiles: [ProfileKey: ColumnProfile] = [:]
    private var ready: [Finding] = []
    private var current = CurrentValue()
    /// The value being scanned (only valid inside ``scan(_:field:line:record:row:)``).
    private var currentBuffer = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Findings suppressed by column profiling or by missing context (for the summary).
    public private(set) var suppressedCount = 0
    /// Findings below the minimum confidence (for the summary).
    public private(set) var belowThresholdCount = 0

    /// Caps the number of profiled fields (JSON documents can have many paths).
    static let maximumProfiledFields = 4_096

    struct ProfileKey: Hashable {
        var field: Int
        var kind: IdentifierKind
    }

    /// Where the value being scanned sits.
    struct CurrentValue {
        var field = -1
        var line = 0
        var record = 0
        var row = 0
    }

    /// Starts a session for one file.
    /// - Parameters:
    ///   - detector: The configured detector.
    ///   - file: The file path to put in findings.
    public init(detector: IdentifierDetector, file: String) {
        self.detector = detector
        self.file = file
    }

    /// A new table starts (CSV file, XLSX worksheet, JSON/XML document); column state is reset.
    /// - Parameter sheet: The worksheet name, for XLSX.
    public mutating func beginTable(sheet: String?) {
        flushProfiles()
        self.sheet = sheet
        fieldNames.removeAll(keepingCapacity: true)
        fieldTopics.removeAll(keepingCapacity: true)
        tableTopics = []
    }

    /// Names a field (column header or document path).
    /// - Parameters:
    ///   - id: The field id used in ``scan(_:field:line:record:row:)``.
    ///   - name: Header text or path; for paths the last component is what is classified.
    public mutating func defineField(_ id: Int, name: String) {
        fieldNames[id] = name
        let component = name.split(whereSeparator: { "/.$[]*@".contains($0) }).last.map(String.init) ?? name
        let topics = ContextTopics.forHeader(component)
        fieldTopics[id] = topics
        tableTopics.formUnion(topics)
    }

    /// Scans one value.
    /// - Parameters:
    ///   - value: UTF-8 bytes, valid for the duration of the call.
    ///   - field: Field id, or -1.
    ///   - line: 1-based line where the value starts, or 0.
    ///   - record: 1-based record number.
    ///   - row: 1-based XLSX row, or 0.
    public mutating func scan(_ value: UnsafeRawBufferPointer, field: Int, line: Int, record: Int, row: Int = 0) {
        current = CurrentValue(field: field, line: line, record: record, row: row)
        currentBuffer = value
        let scanner = detector.scanner
        scanner.scan(value, into: &self)
        currentBuffer = UnsafeRawBufferPointer(start: nil, count: 0)
    }

    /// The current table ends: undecided columns are decided on the evidence seen.
    public mutating func endTable() {
        flushProfiles()
    }

    /// Whether ``drain()`` would return anything (cheap; check it before draining on hot paths).
    public var hasReadyFindings: Bool { !ready.isEmpty }

    /// Takes the findings that are ready.
    /// - Returns: Findings in detection order (held ones are released when their column is decided).
    public mutating func drain() -> [Finding] {
        defer { ready.removeAll(keepingCapacity: true) }
        return ready
    }

    /// Ends the session and returns the remaining findings.
    /// - Returns: Every finding not yet drained.
    public mutating func finish() -> [Finding] {
        flushProfiles()
        return drain()
    }

    // MARK: - Handling detections

    mutating func handle(_ detection: RawDetection, buffer: UnsafeRawBufferPointer) {
        let header = current.field >= 0 ? fieldTopics[current.field] ?? [] : []
        let announced = ContextTopics.announcing(detection.kind)
        let headerAnnounces = !announced.isEmpty && header.contains(announced)
        var keyword: ContextTopics = []
        if !headerAnnounces, detection.context != .none || detection.baseConfidence < 0.9 {
            keyword = ContextTopics.keywordTopics(in: buffer, before: detection.offset)
        }
        let confidence = score(detection, header: header, keyword: keyword)
        guard confidence >= detector.configuration.minimumConfidence else {
            if detection.context != .none, confidence < 0.5 { suppressedCount += 1 } else { belowThresholdCount += 1 }
            return
        }
        let finding = makeFinding(detection, buffer: buffer, confidence: confidence)
        let profiled = detection.kind == .residentID || detection.kind == .bankCard || detection.kind == .socialCreditCode
        guard profiled, !headerAnnounces,
            profiles.count < Self.maximumProfiledFields || profiles[ProfileKey(field: current.field, kind: detection.kind)] != nil
        else {
            ready.append(finding)
            return
        }
        let key = ProfileKey(field: current.field, kind: detection.kind)
        switch profiles[key, default: ColumnProfile()].verdict {
        case .identifiers: ready.append(finding)
        case .serialNumbers: suppressedCount += 1
        case .undecided: profiles[key, default: ColumnProfile()].held.append(finding)
        }
    }

    mutating func observe(_ kind: IdentifierKind, valid: Bool) {
        let key = ProfileKey(field: current.field, kind: kind)
        guard profiles[key] != nil || profiles.count < Self.maximumProfiledFields else { return }
        let before = profiles[key, default: ColumnProfile()].verdict
        profiles[key, default: ColumnProfile()].observe(valid: valid)
        if before == .undecided { release(key) }
    }

    /// Releases or suppresses the held findings of a decided column.
    private mutating func release(_ key: ProfileKey) {
        guard var profile = profiles[key], profile.verdict != .undecided, !profile.held.isEmpty else { return }
        if profile.verdict == .identifiers {
            ready.append(contentsOf: profile.held)
        } else {
            suppressedCount += profile.held.count
        }
        profile.held.removeAll()
        profiles[key] = profile
    }

    private mutating func flushProfiles() {
        for key in Array(profiles.keys) {
            profiles[key]?.decideAtEnd()
            release(key)
        }
        profiles.removeAll(keepingCapacity: true)
    }

    /// Confidence after context. Strong kinds keep their base unless the column announces serial numbers;
    /// weak shapes need the column header or a keyword; contact points in an organisation directory
    /// (a table naming organisations and no person) are institutional, not personal.
    func score(_ d: RawDetection, header: ContextTopics, keyword: ContextTopics) -> Double {
        let announced = ContextTopics.announcing(d.kind)
        let byHeader = !announced.isEmpty && header.contains(announced)
        let byKeyword = !announced.isEmpty && keyword.contains(announced)
        var confidence = d.baseConfidence
        switch d.context {
        case .none:
            if byHeader {
                confidence = min(0.99, confidence + 0.2)
            } else if byKeyword {
                confidence = min(0.97, confidence + 0.1)
            }
        case .headerOrKeyword:
            if byHeader || byKeyword { confidence = min(0.95, confidence + 0.5) }
        case .header:
            if byHeader { confidence = min(0.95, confidence + 0.5) }
        }
        if !byHeader, header.contains(.serialNumber) || keyword.contains(.serialNumber) {
            switch d.kind {
            case .bankCard, .mobile, .residentID15, .passport, .travelPermit: confidence = min(confidence, 0.2)
            default: break
            }
        }
        let organisationDirectory = tableTopics.contains(.organisation) && !tableTopics.contains(.personName)
        if organisationDirectory, d.kind == .mobile || d.kind == .email {
            confidence *= 0.4
        }
        return confidence
    }

    func makeFinding(_ d: RawDetection, buffer: UnsafeRawBufferPointer, confidence: Double) -> Finding {
        var line: Int? = nil
        if current.line > 0 {
            var extra = 0
            if let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) {
                for k in 0..<min(d.offset, buffer.count) where base[k] == 10 { extra += 1 }
            }
            line = current.line + extra
        }
        let column: String?
        if current.field >= 0 {
            column = fieldNames[current.field] ?? "#\(current.field + 1)"
        } else {
            column = nil
        }
        let location = FindingLocation(
            file: file, line: line, sheet: sheet, row: current.row > 0 ? current.row : nil,
            record: current.record > 0 ? current.record : nil, column: column)
        return Finding(
            kind: d.kind, location: location, masked: IdentifierMask.mask(d.kind, canonical: d.canonical),
            hash: detector.hasher.hash(d.kind, canonical: d.canonical),
            confidence: (confidence * 100).rounded() / 100, personLinked: d.personLinked)
    }
}

extension DetectionSession: DetectionSink {
    mutating func detected(_ detection: RawDetection) {
        handle(detection, buffer: currentBuffer)
    }

    mutating func observed(_ kind: IdentifierKind, valid: Bool) {
        observe(kind, valid: valid)
    }

    var wantsBareDigitPermits: Bool {
        current.field >= 0 && (fieldTopics[current.field]?.contains(.travelPermit) ?? false)
    }
}
