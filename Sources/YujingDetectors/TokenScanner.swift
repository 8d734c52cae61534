import YujingCore

/// The hand-written byte scanner: one pass over UTF-8 bytes that finds maximal alphanumeric tokens (never
/// a window inside a longer run of digits or letters), dispatches them by length and shape to the
/// validators, and handles the grouped forms (`+86 138 1234 5678`, `6222 0212 3456 7890`,
/// `110105 19491231 002X`), full-width digits and e-mail addresses.
struct TokenScanner {
    let today: CalendarDay
    let minimumBirthYear: Int
    /// `today` as yyyymmdd (``CalendarDay/key``), for comparing birth dates as one integer.
    let todayKey: Int
    /// The credit-code tables, kept here so that hot paths skip the lazy global's access check.
    let creditTables = SocialCreditCodeValidator.tables
    /// ``classes``, kept in the scanner so that hot paths do not go through the lazy global on each call.
    let byteClasses: ByteClasses = TokenScanner.classes
    var classTable: UnsafePointer<UInt8> { byteClasses.table }

    /// Byte classes: 0 other, 1 digit, 2 upper-case letter, 3 lower-case letter, 4 `@`, 5 0xEF (possible
    /// full-width form).
    static let classes = ByteClasses()

    /// Creates a scanner.
    /// - Parameters:
    ///   - today: The scan date (birth dates after it are impossible).
    ///   - minimumBirthYear: Earliest plausible birth year.
    init(today: CalendarDay, minimumBirthYear: Int) {
        self.today = today
        self.minimumBirthYear = minimumBirthYear
        self.todayKey = today.key
    }

    /// Scans a buffer.
    /// - Parameters:
    ///   - buffer: UTF-8 bytes.
    ///   - sink: Receives detections and structure observations.
    func scan<Sink: DetectionSink>(_ buffer: UnsafeRawBufferPointer, into sink: inout Sink) {
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let n = buffer.count
        let cls = classTable
        do {
            var i = 0
            while i < n {
                let c = cls[Int(base[i])]
                if c == 0 {
                    i &+= 1
                    // Skip eight bytes at a time while they are all non-ASCII and none is 0xEF (UTF-8 text
                    // such as Chinese): no identifier can start there.
                    while i &+ 8 <= n {
                        let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                        guard w & Self.highBits == Self.highBits else { break }
                        let x = w ^ Self.allEF
                        guard (x &- Self.lowBits) & ~x & Self.highBits == 0 else { break }
                        i &+= 8
                    }
                    continue
                }
                if c == 4 {
                    i = scanEmail(base, n, at: i, into: &sink)
                    continue
                }
                if c == 5 {
                    if Self.fullWidthValue(base, n, i) != nil {
                        i = scanWideToken(base, n, from: i, into: &sink)
                    } else {
                        i &+= 1
                    }
                    continue
                }
                // Token start: the previous byte is not alphanumeric.
                var j = i &+ 1
                var letters = c == 1 ? 0 : 1
                // Runs of digits eight at a time.
                while j &+ 8 <= n {
                    let w = UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)
                    guard w & Self.highNibbles == Self.digitNibbles, (w &+ Self.digitCeiling) & Self.highBits == 0 else {
                        break
                    }
                    j &+= 8
                }
                while j < n {
                    let cj = cls[Int(base[j])]
                    if cj == 1 {
                        j &+= 1
                    } else if cj == 2 || cj == 3 {
                        letters &+= 1
                        j &+= 1
                    } else {
                        break
                    }
                }
                if j < n, base[j] == 0xEF, Self.fullWidthValue(base, n, j) != nil {
                    i = scanWideToken(base, n, from: i, into: &sink)
                    continue
                }
                let length = j &- i
                if letters == length || length < 2 {
                    i = j
                    continue
                }
                if j < n, base[j] == UInt8(ascii: "@") {
                    i = j  // the local part of an e-mail address: handled at `@`
                    continue
                }
                if letters == 0 {
                    if length <= 6, j &+ 1 < n, base[j] == UInt8(ascii: " ") || base[j] == UInt8(ascii: "-"),
                        cls[Int(base[j &+ 1])] == 1, Self.mayStartGroups(base, n, length: length, separator: j),
                        let end = scanGroups(base, n, from: i, into: &sink)
                    {
                        i = end
                        continue
                    }
                    if length == 8, sink.wantsBareDigitPermits {
                        evaluateMixed(UnsafeBufferPointer(start: base + i, count: length), offset: i, into: &sink)
                    } else if length == 11 || (length >= 15 && length <= 19),
                        !isPartOfDecimal(base, n, start: i, end: j)
                    {
                        evaluateDigits(UnsafeBufferPointer(start: base + i, count: length), offset: i, into: &sink)
                    }
                } else if length >= 8 && length <= 18 {
                    evaluateMixed(UnsafeBufferPointer(start: base + i, count: length), offset: i, into: &sink)
                }
                i = j
            }
        }
    }

    // MARK: - Dispatch

    /// An all-digit token of 11...19 digits.
    func evaluateDigits<Sink: DetectionSink>(_ t: UnsafeBufferPointer<UInt8>, offset: Int, span: Int = 0, into sink: inout Sink) {
        switch t.count {
        case 11:
            evaluateMobile(t, offset: offset, span: span, into: &sink)
        case 15:
            evaluateLegacyID(t, offset: offset, span: span, into: &sink)
            evaluateCard(t, offset: offset, span: span, into: &sink)
        case 16, 17, 19:
            evaluateCard(t, offset: offset, span: span, into: &sink)
        case 18:
            evaluateDigits18(t, offset: offset, span: span, into: &sink)
        default:
            return
        }
    }

    /// An all-digit token of 18 characters: case and order numbers built as area + date + serial look like
    /// this on every row of some tables, so the common outcome (the ID check character is wrong) is decided
    /// without the full validation: both check characters come from one pass over the digits, and the ID
    /// structure that column profiling needs is read from the digits without building a date. The outcome is
    /// the same as running each validator on its own.
    @inline(__always)
    func evaluateDigits18<Sink: DetectionSink>(
        _ t: UnsafeBufferPointer<UInt8>, offset: Int, span: Int, into sink: inout Sink
    ) {
        guard let p = t.baseAddress else { return }
        @inline(__always) func d(_ k: Int) -> Int { Int(p[k]) &- 48 }
        // Two independent Horner chains (ID MOD 11-2 and credit code MOD 31), which the CPU runs side by side.
        var r11 = 0
        var r31 = 0
        for k in 0..<17 {
            r11 = r11 &* 2 &+ d(k)
            r31 = r31 &* 3 &+ d(16 &- k)
        }
        let last = d(17)
        let idCheck = (12 &- (2 &* r11) % 11) % 11  // 10 stands for X, never equal to a digit
        let codeCheck = (31 &- r31 % 31) % 31  // 10...30 are letters, never equal to a digit
        if idCheck == last {
            if evaluateResidentID(t, offset: offset, span: span, into: &sink) { return }
        } else if ResidentIDValidator.hasStructure(digits: p, todayKey: todayKey, minimumBirthYear: minimumBirthYear) {
            sink.observed(.residentID, valid: false)
        }
        evaluateCard(t, offset: offset, span: span, into: &sink)
        evaluateCreditCode(t, offset: offset, span: span, digitCheck: codeCheck == last, into: &sink)
    }

    /// A token mixing digits and letters, 8...18 characters.
    func evaluateMixed<Sink: DetectionSink>(_ t: UnsafeBufferPointer<UInt8>, offset: Int, span: Int = 0, into sink: inout Sink) {
        let n = t.count
        if n == 18 {
            var digits17 = true
            for k in 0..<17 where t[k] < 48 || t[k] > 57 {
                digits17 = false
                break
            }
            if digits17, t[17] == UInt8(ascii: "X") || t[17] == UInt8(ascii: "x") {
                // An ID first; else a credit code whose check character happens to be X.
                if evaluateResidentID(t, offset: offset, span: span, into: &sink) { return }
            }
            withUpperCased(t) { evaluateCreditCode($0, offset: offset, span: span, into: &sink) }
            return
        }
        let first = t[0]
        let bareDigits = n == 8 && first >= 48 && first <= 57
        guard bareDigits || (first >= 65 && first <= 90) || (first >= 97 && first <= 122) else { return }
        withUpperCased(t) { upper in
            guard let shape = TravelDocumentValidator.shape(upper) else { return }
            sink.detected(
                RawDetection(
                    kind: shape == .passport ? .passport : .travelPermit, offset: offset, length: span > 0 ? span : t.count, canonical: upper,
                    baseConfidence: 0.3, context: bareDigits ? .header : .headerOrKeyword, personLinked: true))
        }
    }

    // MARK: - Validators → detections

    @discardableResult
    func evaluateResidentID<Sink: DetectionSink>(
        _ t: UnsafeBufferPointer<UInt8>, offset: Int, span: Int = 0, into sink: inout Sink
    ) -> Bool {
        switch ResidentIDValidator.validate(t, today: today, minimumBirthYear: minimumBirthYear) {
        case .success(let verdict):
            sink.observed(.residentID, valid: true)
            let confidence: Double
            switch verdict.county {
            case .current: confidence = 0.9
            case .lastSeen(let year): confidence = year + 1 >= verdict.birthDate.year ? 0.88 : 0.65
            case .unknown: confidence = verdict.isForeignerCard ? 0.8 : 0.7
            }
            if t[17] == UInt8(ascii: "x") {
                var upper = Array(t)
                upper[17] = UInt8(ascii: "X")
                upper.withUnsafeBufferPointer { canonical in
                    sink.detected(
                        RawDetection(
                            kind: .residentID, offset: offset, length: span > 0 ? span : t.count, canonical: canonical, baseConfidence: confidence,
                            context: .none, personLinked: true))
                }
            } else {
                sink.detected(
                    RawDetection(
                        kind: .residentID, offset: offset, length: span > 0 ? span : t.count, canonical: t, baseConfidence: confidence,
                        context: .none, personLinked: true))
            }
            return true
        case .failure(.checksum):
            if ResidentIDValidator.hasStructure(t, today: today, minimumBirthYear: minimumBirthYear) {
                sink.observed(.residentID, valid: false)
            }
            return false
        case .failure:
            return false
        }
    }

    func evaluateLegacyID<Sink: DetectionSink>(_ t: UnsafeBufferPointer<UInt8>, offset: Int, span: Int = 0, into sink: inout Sink) {
        guard let legacy = ResidentIDValidator.validateLegacy(t, today: today),
            let upgraded = ResidentIDValidator.upgradeLegacy(t)
        else { return }
        let known = legacy.county != .unknown
        upgraded.withUnsafeBufferPointer { canonical in
            sink.detected(
                RawDetection(
                    kind: .residentID15, offset: offset, length: span > 0 ? span : t.count, canonical: canonical, baseConfidence: known ? 0.35 : 0.25,
                    context: .headerOrKeyword, personLinked: true))
        }
    }

    @discardableResult
    func evaluateMobile<Sink: DetectionSink>(
        _ t: UnsafeBufferPointer<UInt8>, offset: Int, span: Int = 0, into sink: inout Sink
    ) -> Bool {
        guard let segment = MobileNumberValidator.segment(t) else { return false }
        sink.detected(
            RawDetection(
                kind: .mobile, offset: offset, length: span > 0 ? span : t.count, canonical: t,
                baseConfidence: segment == .mobile ? 0.75 : 0.5, context: .none, personLinked: true))
        return true
    }

    @discardableResult
    func evaluateCard<Sink: DetectionSink>(
        _ t: UnsafeBufferPointer<UInt8>, offset: Int, span: Int = 0, into sink: inout Sink
    ) -> Bool {
        guard let brand = BankCardValidator.brand(t) else { return false }
        let valid = BankCardValidator.luhn(t)
        sink.observed(.bankCard, valid: valid)
        guard valid else { return false }
        let confidence: Double
        switch brand {
        case .unionPay: confidence = t.count == 19 ? 0.8 : 0.65
        default: confidence = 0.55
        }
        sink.detected(
            RawDetection(
                kind: .bankCard, offset: offset, length: span > 0 ? span : t.count, canonical: t, baseConfidence: confidence, context: .none,
                personLinked: true))
        return true
    }

    /// - Parameter digitCheck: For a candidate the caller knows to be all digits, whether its MOD 31 check
    ///   character is right (already computed); nil otherwise.
    func evaluateCreditCode<Sink: DetectionSink>(
        _ t: UnsafeBufferPointer<UInt8>, offset: Int, span: Int = 0, digitCheck: Bool? = nil, into sink: inout Sink
    ) {
        var allDigits = true
        if digitCheck == nil {
            for b in t where b < 48 || b > 57 {
                allDigits = false
                break
            }
        }
        // Column profiling judges every structured candidate (all-digit ones look like serial numbers). A
        // candidate known to be all digits has the digits the structure asks for: only its entity type is left.
        let structured =
            digitCheck == nil
            ? SocialCreditCodeValidator.hasStructure(t)
            : SocialCreditCodeValidator.entityTypeAllowed(t[0], t[1], creditTables)
        guard structured else { return }
        // All digits: the MOD 31 check is plain arithmetic (a digit's alphabet value is the digit itself).
        // When it fails, so would `validate`; only candidates that pass it get the full validation.
        let matches = digitCheck ?? (!allDigits || SocialCreditCodeValidator.digitCheckMatches(t))
        let verdict = matches ? SocialCreditCodeValidator.validate(t) : nil
        if allDigits || verdict != nil { sink.observed(.socialCreditCode, valid: verdict != nil) }
        guard let verdict else { return }
        sink.detected(
            RawDetection(
                kind: .socialCreditCode, offset: offset, length: span > 0 ? span : t.count, canonical: t, baseConfidence: 0.9, context: .none,
                personLinked: verdict.isPersonLinked))
    }

    // MARK: - Grouped forms

    /// Tries a chain of digit groups joined by single spaces or hyphens, starting at a token of 2–6
    /// digits. Returns the end offset when the chain formed an identifier, nil otherwise. Allocation-free
    /// unless it matches.
    func scanGroups<Sink: DetectionSink>(
        _ base: UnsafePointer<UInt8>, _ n: Int, from start: Int, into sink: inout Sink
    ) -> Int? {
        let cls = classTable
        // Up to 7 groups; lengths packed 5 bits each into `shape`. Groups are separated by exactly one
        // byte, so group k starts at `start + Σ (length + 1)` of the groups before it: no start offsets are
        // kept, and no local closures (their captured variables would be boxed and access-checked).
        var count = 0
        var shape: UInt64 = 0
        var i = start
        var lastEnd = start
        while true {
            var j = i
            while j < n, base[j] >= 48, base[j] <= 57 { j += 1 }
            if j < n, base[j] == UInt8(ascii: "X") || base[j] == UInt8(ascii: "x") { j += 1 }
            if j < n {  // glued to letters or full-width alphanumerics: not a clean group
                let c = cls[Int(base[j])]
                if c == 1 || c == 2 || c == 3 || (c == 5 && Self.fullWidthValue(base, n, j) != nil) { return nil }
            }
            let length = j - i
            guard count < 7, length < 32 else { return nil }
            shape = shape << 5 | UInt64(length)
            count += 1
            lastEnd = j
            // Every shape accepted below starts with one of these two group lengths: reject the others
            // (landlines such as 021-29416133, dates, ranges) as soon as the second group is read.
            if count == 2, !Self.isShapePrefix(shape) { return nil }
            if j + 1 < n, base[j] == UInt8(ascii: " ") || base[j] == UInt8(ascii: "-"), base[j + 1] >= 48,
                base[j + 1] <= 57
            {
                i = j + 1
                continue
            }
            break
        }
        guard count >= 2 else { return nil }
        var first = 0
        var offset = start
        // Country code for mobiles: 86 (after an optional +) or 0086.
        let l0 = Self.groupLength(shape, count, 0)
        if (l0 == 2 && base[start] == 56 && base[start + 1] == 54)
            || (l0 == 4 && base[start] == 48 && base[start + 1] == 48 && base[start + 2] == 56 && base[start + 3] == 54)
        {
            first = 1
            if l0 == 2, start > 0, base[start - 1] == UInt8(ascii: "+") { offset = start - 1 }
        }
        let restShape = first == 1 ? shape & ((1 << UInt64(5 * (count - 1))) - 1) : shape
        let restCount = count - first
        let kind: IdentifierKind
        switch (restCount, restShape) {
        case (3, Self.mobileShape), (1, 11): kind = .mobile
        case (3, Self.idShape) where first == 0: kind = .residentID
        case (_, let s) where first == 0 && Self.isCardShape(s) && restCount >= 2: kind = .bankCard
        default: return nil
        }
        var total = 0
        var from = start  // start of the first group kept
        for k in 0..<count {
            let length = Self.groupLength(shape, count, k)
            if k < first { from += length + 1 } else { total += length }
        }
        let found: Bool = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: total) { buffer in
            var w = 0
            var s = from
            for k in first..<count {
                let length = Self.groupLength(shape, count, k)
                for b in 0..<length {
                    buffer[w] = base[s + b]
                    w += 1
                }
                s += length + 1
            }
            let t = UnsafeBufferPointer(buffer)
            let hasX = t[total - 1] == UInt8(ascii: "X") || t[total - 1] == UInt8(ascii: "x")
            let span = lastEnd - offset
            switch kind {
            case .mobile: return !hasX && evaluateMobile(t, offset: offset, span: span, into: &sink)
            case .residentID: return evaluateResidentID(t, offset: offset, span: span, into: &sink)
            default: return !hasX && evaluateCard(t, offset: offset, span: span, into: &sink)
            }
        }
        return found ? lastEnd : nil
    }

    /// Whether a first group of `length` digits, followed by a separator at `separator`, can start an
    /// accepted shape (see ``isShapePrefix(_:)``): only 2, 3, 4 and 6 digits can, and 3 only as a mobile's
    /// 3-4-4, whose second group of four is followed by another separator. Rejects landlines such as
    /// `021-29416133` without reading their second group.
    @inline(__always)
    static func mayStartGroups(_ base: UnsafePointer<UInt8>, _ n: Int, length: Int, separator: Int) -> Bool {
        switch length {
        case 2, 4, 6:
            return true
        case 3:
            let next = separator &+ 5
            return next < n && (base[next] == UInt8(ascii: " ") || base[next] == UInt8(ascii: "-"))
        default:
            return false
        }
    }

    /// Whether the first two group lengths (packed) can start an accepted shape: 86 or 0086 then 3-4-4 or
    /// 11 digits, mobile 3-4-4, ID 6-8-4, cards 4-4-…, 4-6-5 and 6-13.
    @inline(__always)
    static func isShapePrefix(_ pair: UInt64) -> Bool {
        switch pair {
        case 2 << 5 | 3, 2 << 5 | 11, 4 << 5 | 3, 4 << 5 | 11, 3 << 5 | 4, 6 << 5 | 8, 4 << 5 | 4, 4 << 5 | 6,
            6 << 5 | 13:
            return true
        default:
            return false
        }
    }

    /// Length of group `k` (0-based) of `count` groups packed 5 bits each, first group highest.
    @inline(__always)
    static func groupLength(_ shape: UInt64, _ count: Int, _ k: Int) -> Int {
        Int(truncatingIfNeeded: shape >> UInt64(5 * (count - 1 - k)) & 31)
    }

    static let highBits: UInt64 = 0x8080_8080_8080_8080
    static let lowBits: UInt64 = 0x0101_0101_0101_0101
    static let allEF: UInt64 = 0xEFEF_EFEF_EFEF_EFEF
    static let highNibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
    static let digitNibbles: UInt64 = 0x3030_3030_3030_3030
    /// Added to bytes 0x30…0x39 this stays below 0x80; 0x3A…0x3F cross it.
    static let digitCeiling: UInt64 = 0x4646_4646_4646_4646

    /// Packed group shapes (5 bits per group length).
    static let mobileShape: UInt64 = 3 << 10 | 4 << 5 | 4
    static let idShape: UInt64 = 6 << 10 | 8 << 5 | 4
    /// Whether a packed group shape is a card grouping: 4-4-4-4, 4-4-4-4-1/2/3, 4-6-5 (AmEx) or 6-13 (a
    /// comparison chain: no hashing, no lazily initialised global).
    @inline(__always)
    static func isCardShape(_ s: UInt64) -> Bool {
        let four: UInt64 = 4 << 15 | 4 << 10 | 4 << 5 | 4
        return s == four || (s >> 5 == four && s & 31 >= 1 && s & 31 <= 3) || s == 4 << 10 | 6 << 5 | 5
            || s == 6 << 5 | 13
    }

    // MARK: - E-mail

    static func isLocalByte(_ b: UInt8) -> Bool {
        let c = classes.table[Int(b)]
        return c == 1 || c == 2 || c == 3 || b == UInt8(ascii: ".") || b == UInt8(ascii: "_")
            || b == UInt8(ascii: "%") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
    }

    static func isDomainByte(_ b: UInt8) -> Bool {
        let c = classes.table[Int(b)]
        return c == 1 || c == 2 || c == 3 || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
    }

    /// Reads the address around an `@` at `at`; returns where scanning resumes.
    func scanEmail<Sink: DetectionSink>(
        _ base: UnsafePointer<UInt8>, _ n: Int, at: Int, into sink: inout Sink
    ) -> Int {
        var s = at
        while s > 0, at - s < 65, Self.isLocalByte(base[s - 1]) { s -= 1 }
        var e = at + 1
        while e < n, e - at < 255, Self.isDomainByte(base[e]) { e += 1 }
        var domainEnd = e
        while domainEnd > at + 1, base[domainEnd - 1] == UInt8(ascii: ".") || base[domainEnd - 1] == UInt8(ascii: "-") {
            domainEnd -= 1
        }
        guard s < at, domainEnd > at + 1, at - s <= 64 else { return e }
        if s > 0, Self.isLocalByte(base[s - 1]) { return e }
        let local = String(decoding: UnsafeBufferPointer(start: base + s, count: at - s), as: UTF8.self)
        let domain = String(decoding: UnsafeBufferPointer(start: base + at + 1, count: domainEnd - at - 1), as: UTF8.self)
        guard let domainClass = EmailValidator.classify(local: local[...], domain: domain[...]) else { return e }
        let confidence: Double
        switch domainClass {
        case .personalWebmail: confidence = 0.85
        case .other: confidence = 0.65
        case .institutional: confidence = 0.35
        }
        let canonical = Array((local + "@" + domain).lowercased().utf8)
        canonical.withUnsafeBufferPointer { canonical in
            sink.detected(
                RawDetection(
                    kind: .email, offset: s, length: domainEnd - s, canonical: canonical, baseConfidence: confidence, context: .none,
                    personLinked: domainClass != .institutional))
        }
        return e
    }

    // MARK: - Decimals and full-width forms

    /// True when a digit run is the fractional part of a decimal (`1.13812345678`) or an integer part with
    /// a non-zero fraction (`13812345678.5`), as spreadsheets produce; `13812345678.0` stays a candidate.
    func isPartOfDecimal(_ base: UnsafePointer<UInt8>, _ n: Int, start: Int, end: Int) -> Bool {
        if start >= 2, base[start - 1] == UInt8(ascii: "."), base[start - 2] >= 48, base[start - 2] <= 57 {
            return true
        }
        guard end + 1 < n, base[end] == UInt8(ascii: "."), base[end + 1] >= 48, base[end + 1] <= 57 else {
            return false
        }
        var k = end + 1
        while k < n, base[k] == UInt8(ascii: "0") { k += 1 }
        if k < n {
            let c = classTable[Int(base[k])]
            if c != 0 && c != 4 { return true }  // a non-zero fraction digit or an exponent letter
        }
        return false
    }

    /// The ASCII value of a full-width digit or Latin letter at `i` (`０`–`９`, `Ａ`–`Ｚ`, `ａ`–`ｚ`).
    static func fullWidthValue(_ base: UnsafePointer<UInt8>, _ n: Int, _ i: Int) -> UInt8? {
        guard i + 2 < n, base[i] == 0xEF else { return nil }
        let b1 = base[i + 1]
        let b2 = base[i + 2]
        if b1 == 0xBC {
            if b2 >= 0x90 && b2 <= 0x99 { return b2 - 0x90 + 48 }
            if b2 >= 0xA1 && b2 <= 0xBA { return b2 - 0xA1 + 65 }
        } else if b1 == 0xBD, b2 >= 0x81 && b2 <= 0x9A {
            return b2 - 0x81 + 97
        }
        return nil
    }

    /// A token that contains full-width forms: normalised (NFKC for digits and Latin letters) into ASCII,
    /// then dispatched like any token.
    func scanWideToken<Sink: DetectionSink>(
        _ base: UnsafePointer<UInt8>, _ n: Int, from start: Int, into sink: inout Sink
    ) -> Int {
        var normalised: [UInt8] = []
        normalised.reserveCapacity(24)
        var i = start
        while i < n {
            let c = Self.classes.table[Int(base[i])]
            if c == 1 || c == 2 || c == 3 {
                normalised.append(base[i])
                i += 1
            } else if let ascii = Self.fullWidthValue(base, n, i) {
                normalised.append(ascii)
                i += 3
            } else {
                break
            }
            if normalised.count > 64 { break }
        }
        while i < n, Self.classes.table[Int(base[i])] != 0 || Self.fullWidthValue(base, n, i) != nil {
            i += Self.fullWidthValue(base, n, i) != nil ? 3 : 1  // over-long: skip the rest of the run
            normalised.removeAll()
        }
        guard normalised.count >= 8 else { return i }
        let letters = normalised.filter { $0 >= 65 }.count
        normalised.withUnsafeBufferPointer { t in
            if letters == 0 {
                evaluateDigits(t, offset: start, span: i - start, into: &sink)
            } else {
                evaluateMixed(t, offset: start, span: i - start, into: &sink)
            }
        }
        return i
    }

    /// Calls `body` with an upper-cased copy when the token has lower-case letters.
    func withUpperCased(_ t: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var hasLower = false
        for b in t where b >= 97 && b <= 122 {
            hasLower = true
            break
        }
        guard hasLower else { return body(t) }
        let upper = t.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }
        upper.withUnsafeBufferPointer(body)
    }
}

/// The byte-class table, allocated once and never freed.
struct ByteClasses: @unchecked Sendable {  // an immutable pointer to static data
    let table: UnsafePointer<UInt8>

    init() {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        table.initialize(repeating: 0, count: 256)
        for b in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(b)] = 1 }
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(b)] = 2 }
        for b in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(b)] = 3 }
        table[Int(UInt8(ascii: "@"))] = 4
        table[0xEF] = 5
        self.table = UnsafePointer(table)
    }
}
