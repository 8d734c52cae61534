import YujingCore

/// Finds the subject in a query string and redacts credential parameters.
struct QueryScanner: Sendable {
    /// All parameter names back to back; `spans[i]` locates name `i` (flat, so matching retains nothing).
    let flat: [UInt8]
    let spans: [Span]
    let kinds: [Subject.Kind]

    struct Span: Sendable {
        var start: Int
        var count: Int
    }

    init(parameters: [SubjectParameter]) {
        var flat: [UInt8] = []
        var spans: [Span] = []
        for parameter in parameters {
            spans.append(Span(start: flat.count, count: parameter.name.utf8.count))
            flat += parameter.name.utf8
        }
        self.flat = flat
        self.spans = spans
        kinds = parameters.map(\.kind)
    }

    /// Index of the parameter named `b[start..<end]`, or -1.
    @inline(__always)
    func parameterIndex(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        let length = end - start
        return flat.withUnsafeBufferPointer { names in
            for index in spans.indices {
                let span = spans[index]
                guard span.count == length else { continue }
                var k = 0
                while k < length, names[span.start + k] == b[start + k] { k += 1 }
                if k == length { return index }
            }
            return -1
        }
    }

    /// Scans `b[start..<end]` (without `?`). Returns the highest-priority subject and, when `keep`, the query
    /// with credential values replaced by `***`.
    func scan(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, keep: Bool) -> (Subject?, String?) {
        var best = Int.max
        var bestRange = 0..<0
        var credentialSeen = false
        var i = start
        while i < end {
            let keyStart = i
            while i < end, b[i] != 0x3D, b[i] != 0x26 { i += 1 }
            let keyEnd = i
            var valueStart = i
            if i < end, b[i] == 0x3D {
                i += 1
                valueStart = i
                while i < end, b[i] != 0x26 { i += 1 }
            }
            let valueEnd = i
            if i < end { i += 1 }
            guard valueEnd > valueStart else { continue }
            let index = parameterIndex(b, keyStart, keyEnd)
            if index >= 0 {
                if kinds[index] != .user { credentialSeen = true }
                if index < best {
                    best = index
                    bestRange = valueStart..<valueEnd
                }
            }
        }
        var subject: Subject?
        if best != Int.max {
            subject = Subject(
                kind: kinds[best], id: Bytes.decodedString(b, bestRange.lowerBound, bestRange.upperBound))
        }
        guard keep, end > start else { return (subject, nil) }
        guard credentialSeen else { return (subject, Bytes.string(b, start, end)) }
        return (subject, redacted(b, start, end))
    }

    private func redacted(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        // Redaction never makes the query longer than the original plus three bytes per parameter.
        var parameters = 1
        for i in start..<end where b[i] == 0x26 { parameters += 1 }
        return String(unsafeUninitializedCapacity: end - start + 3 * parameters) { out in
            var n = 0
            var i = start
            while i < end {
                let keyStart = i
                while i < end, b[i] != 0x3D, b[i] != 0x26 { i += 1 }
                let keyEnd = i
                let index = parameterIndex(b, keyStart, keyEnd)
                let isCredential = index >= 0 && kinds[index] != .user
                for k in keyStart..<keyEnd {
                    out[n] = b[k]
                    n += 1
                }
                if i < end, b[i] == 0x3D {
                    i += 1
                    let valueStart = i
                    while i < end, b[i] != 0x26 { i += 1 }
                    out[n] = 0x3D
                    n += 1
                    if isCredential {
                        for _ in 0..<3 {
                            out[n] = 0x2A
                            n += 1
                        }
                    } else {
                        for k in valueStart..<i {
                            out[n] = b[k]
                            n += 1
                        }
                    }
                }
                if i < end {
                    out[n] = 0x26
                    n += 1
                    i += 1
                }
            }
            return n
        }
    }
}
