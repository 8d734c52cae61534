import YujingCore

/// Counts of a value's bytes that a reader takes as it passes over them, for
/// ``DetectionSession/canHoldIdentifier(_:)``.
public struct ValueCensus: Sendable {
    /// Bytes in the value.
    public var length = 0
    /// ASCII digits and letters, plus 0xEF bytes (the lead byte of full-width digits and letters).
    public var characters = 0
    /// Whether every byte is an ASCII digit.
    public var isAllDigits = true
    /// Whether the value holds an `@`.
    public var hasAt = false

    /// An empty census.
    public init() {}
}

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
    /// Per field (index = field id + 1, so that -1 maps to 0): header, topics and column profiles.
    private var fields: [FieldState] = [FieldState()]
    /// Findings held while their column is undecided (bounded by ``ColumnProfile/decisionSample`` each).
    private var held: [HeldKey: [Finding]] = [:]
    private var tableTopics: ContextTopics = []
    private var sheet: String?
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
    /// Most findings held back for one undecided column before it is decided on the evidence so far.
    static let maximumHeldPerColumn = 4 * ColumnProfile.decisionSample

    /// What the session knows about one field.
    struct FieldState {
        var name: String?
        var topics: ContextTopics = []
        /// Profiles for the kinds that column profiling judges (plain values: cheap to update in place).
        var residentID = ColumnProfile()
        var bankCard = ColumnProfile()
        var creditCode = ColumnProfile()

        func profile(_ kind: IdentifierKind) -> ColumnProfile {
            switch kind {
            case .bankCard: return bankCard
            case .socialCreditCode: return creditCode
            default: return residentID
            }
        }

        /// Records an observation; returns whether the column was just decided.
        mutating func observe(_ kind: IdentifierKind, valid: Bool) -> Bool {
            switch kind {
            case .bankCard: return Self.observe(&bankCard, valid)
            case .socialCreditCode: return Self.observe(&creditCode, valid)
            default: return Self.observe(&residentID, valid)
            }
        }

        mutating func decide(_ kind: IdentifierKind) {
            switch kind {
            case .bankCard: bankCard.decideAtEnd()
            case .socialCreditCode: creditCode.decideAtEnd()
            default: residentID.decideAtEnd()
            }
        }

        mutating func decideAtEnd() {
            residentID.decideAtEnd()
            bankCard.decideAtEnd()
            creditCode.decideAtEnd()
        }

        private static func observe(_ profile: inout ColumnProfile, _ valid: Bool) -> Bool {
            let before = profile.verdict
            profile.observe(valid: valid)
            return before == .undecided && profile.verdict != .undecided
        }

        static func isProfiled(_ kind: IdentifierKind) -> Bool {
            kind == .residentID || kind == .bankCard || kind == .socialCreditCode
        }
    }

    struct HeldKey: Hashable {
        var slot: Int
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
        let redaction = detector.redact(file)
        self.file = redaction.text
        if !redaction.items.isEmpty { reportNamed(redaction, column: nil, sheet: nil) }
    }

    /// The file name as shown in findings (identifiers in it masked).
    public var displayFile: String { file }

    /// A new table starts (CSV file, XLSX worksheet, JSON/XML document); column state is reset.
    /// - Parameter sheet: The worksheet name, for XLSX.
    public mutating func beginTable(sheet: String?) {
        flushProfiles()
        if let sheet {
            let redaction = detector.redact(sheet)
            reportNamed(redaction, column: nil, sheet: redaction.text)
            self.sheet = redaction.text
        } else {
            self.sheet = nil
        }
        fields = [FieldState()]
        tableTopics = []
    }

    /// Names a field (column header or document path).
    /// - Parameters:
    ///   - id: The field id used in ``scan(_:field:line:record:row:)``.
    ///   - name: Header text or path; for paths the last component is what is classified.
    public mutating func defineField(_ id: Int, name: String) {
        guard id >= 0, id < Self.maximumProfiledFields else { return }
        // Names come from the data (headers, JSON keys, XML names): never show a clear identifier in them.
        let redaction = detector.redact(name)
        reportNamed(redaction, column: redaction.text, sheet: sheet)
        let name = redaction.text
        let component = name.split(whereSeparator: { "/.$[]*@".contains($0) }).last.map(String.init) ?? name
        let topics = ContextTopics.forHeader(component)
        growFields(to: id)
        fields[id + 1].name = name
        fields[id + 1].topics = topics
        tableTopics.formUnion(topics)
    }

    /// Scans one value.
    /// - Parameters:
    ///   - value: UTF-8 bytes, valid for the duration of the call.
    ///   - field: Field id, or -1.
    ///   - line: 1-based line where the value starts, or 0.
    ///   - record: 1-based record number.
    ///   - row: 1-based XLSX row, or 0.
    /// - Returns: Whether findings are ready (the value of ``hasReadyFindings`` after the call). Hot loops
    ///   use it instead of reading ``hasReadyFindings``, which a caller in another module can only reach
    ///   through a copy of the whole session.
    @discardableResult
    public mutating func scan(
        _ value: UnsafeRawBufferPointer, field: Int, line: Int, record: Int, row: Int = 0
    ) -> Bool {
        guard value.count >= Self.minimumValueLength else { return !ready.isEmpty }
        current = CurrentValue(field: field, line: line, record: record, row: row)
        currentBuffer = value
        let scanner = detector.scanner
        scanner.scan(value, into: &self)
        currentBuffer = UnsafeRawBufferPointer(start: nil, count: 0)
        return !ready.isEmpty
    }

    /// No identifier is shorter than this many bytes (an 8-character permit or `a@qq.com`):
    /// ``scan(_:field:line:record:row:)`` ignores shorter values, and callers may skip the call.
    @inlinable public static var minimumValueLength: Int { 8 }

    /// Whether a value can hold an identifier, judged from counts that a reader takes while it passes over
    /// its bytes anyway (see ``ValueCensus``). Every identifier the detectors know has at least 8 ASCII
    /// letters and digits or full-width forms (each starts with the byte 0xEF), except an e-mail address,
    /// which has an `@`; a value of digits only is one token, and only 8, 11 and 15...19 digits can be one.
    /// - Parameter census: The counts.
    @inlinable public static func canHoldIdentifier(_ census: ValueCensus) -> Bool {
        if census.hasAt { return true }
        if census.characters < 8 { return false }
        guard census.isAllDigits else { return true }
        let length = census.length
        return length == 8 || length == 11 || (length >= 15 && length <= 19)
    }

    /// The current table ends: undecided columns are decided on the evidence seen.
    public mutating func endTable() {
        flushProfiles()
    }

    /// Reports identifiers found in a name (column header, JSON key, sheet name, file name).
    mutating func reportNamed(_ redaction: Redaction, column: String?, sheet: String?) {
        for item in redaction.items where item.confidence >= detector.configuration.minimumConfidence {
            ready.append(
                Finding(
                    kind: item.kind, location: FindingLocation(file: file, sheet: sheet, column: column),
                    masked: item.masked, hash: item.hash, confidence: item.confidence, personLinked: item.personLinked))
        }
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

    /// The state slot of the current field (0 for values without a field or beyond the cap).
    private var slot: Int {
        let index = current.field + 1
        return index > 0 && index < fields.count ? index : 0
    }

    private mutating func growFields(to id: Int) {
        while fields.count <= id + 1 { fields.append(FieldState()) }
    }

    mutating func handle(_ detection: RawDetection, buffer: UnsafeRawBufferPointer) {
        let slot = self.slot
        let header = slot > 0 ? fields[slot].topics : []
        let announced = ContextTopics.announcing(detection.kind)
        let headerAnnounces = !announced.isEmpty && header.contains(announced)
        let profiled =
            FieldState.isProfiled(detection.kind) && !headerAnnounces && current.field < Self.maximumProfiledFields
        if profiled {
            if current.field >= 0 { growFields(to: current.field) }
            if fields[current.field + 1].profile(detection.kind).verdict == .serialNumbers {
                suppressedCount += 1  // a chance hit in a serial-number column: no finding is built
                return
            }
        }
        let needsKeywords = !headerAnnounces || header.contains(.contactPoint)
        let keyword = needsKeywords ? ContextTopics.keywordTopics(in: buffer, before: detection.offset) : []
        let confidence = score(detection, header: header, keyword: keyword)
        guard confidence >= detector.configuration.minimumConfidence else {
            if detection.context != .none, confidence < 0.5 { suppressedCount += 1 } else { belowThresholdCount += 1 }
            return
        }
        let finding = makeFinding(detection, buffer: buffer, confidence: confidence)
        guard profiled else {
            ready.append(finding)
            return
        }
        let index = current.field + 1
        switch fields[index].profile(detection.kind).verdict {
        case .identifiers: ready.append(finding)
        case .serialNumbers: suppressedCount += 1
        case .undecided:
            let key = HeldKey(slot: index, kind: detection.kind)
            held[key, default: []].append(finding)
            if held[key]?.count ?? 0 >= Self.maximumHeldPerColumn {
                fields[index].decide(detection.kind)  // memory stays bounded: decide on the evidence so far
                release(index, detection.kind)
            }
        }
    }

    mutating func observe(_ kind: IdentifierKind, valid: Bool) {
        guard current.field < Self.maximumProfiledFields else { return }
        if current.field >= 0 { growFields(to: current.field) }
        let index = current.field + 1
        if fields[index].observe(kind, valid: valid) { release(index, kind) }
    }

    /// Releases or suppresses the held findings of a decided column.
    private mutating func release(_ index: Int, _ kind: IdentifierKind) {
        let key = HeldKey(slot: index, kind: kind)
        let verdict = fields[index].profile(kind).verdict
        guard verdict != .undecided, let findings = held.removeValue(forKey: key) else { return }
        if verdict == .identifiers {
            ready.append(contentsOf: findings)
        } else {
            suppressedCount += findings.count
        }
    }

    private mutating func flushProfiles() {
        for index in fields.indices { fields[index].decideAtEnd() }
        for key in held.keys.sorted(by: { ($0.slot, $0.kind) < ($1.slot, $1.kind) }) { release(key.slot, key.kind) }
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
        // A contact column of a table that names organisations and no person holds institutional contact
        // points, unless a person's role is named right before the value (经办人电话…).
        let organisationDirectory = tableTopics.contains(.organisation) && !tableTopics.contains(.personName)
        if organisationDirectory, header.contains(.contactPoint), !keyword.contains(.personName),
            d.kind == .mobile || d.kind == .email
        {
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
            column = fields[slot].name ?? "#\(current.field + 1)"
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
        let slot = self.slot
        return slot > 0 && fields[slot].topics.contains(.travelPermit)
    }
}
