import Foundation
import YujingCore

extension AccessLogParser {
    /// Parses one JSON object line through the configured field map.
    func parseJSON(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) -> AccessEvent {
        guard bytes.first == 0x7B else { throw .notJSONObject }
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any] else {
                throw ParseError.notJSONObject
            }
            object = parsed
        } catch {
            throw .notJSONObject
        }
        let map = configuration.fields
        guard let rawTime = Self.lookup(object, map.time) else { throw .missingField(map.time) }
        guard let time = jsonTime(rawTime) else { throw .badTime(field: map.time) }
        guard let ip = Self.text(Self.lookup(object, map.ip)) else { throw .missingField(map.ip) }
        var event = AccessEvent(
            timeMillis: time, node: configuration.node, clientIP: ip, method: "", path: "",
            status: Self.integer(Self.lookup(object, map.status)).map(Int.init) ?? 0,
            bytes: Self.integer(Self.lookup(object, map.bytes)) ?? 0,
            userAgent: Self.text(Self.lookup(object, map.userAgent)) ?? "")
        if let key = map.node, let node = Self.text(Self.lookup(object, key)) { event.node = node }
        if let key = map.drill, let drill = Self.text(Self.lookup(object, key)) { event.drillID = drill }
        if let key = map.dataset, let dataset = Self.text(Self.lookup(object, key)) { event.dataset = dataset }
        if let key = map.channel, let channel = Self.text(Self.lookup(object, key)) {
            event.channel = AccessChannel(rawValue: channel.lowercased())
        }
        for parameter in map.subjects {
            if let id = Self.text(Self.lookup(object, parameter.name)) {
                event.subject = Subject(kind: parameter.kind, id: id)
                break
            }
        }
        var target: String
        if let path = Self.text(Self.lookup(object, map.path)) {
            target = path
            event.method = Self.text(Self.lookup(object, map.method)) ?? ""
        } else if let request = Self.text(Self.lookup(object, map.request)) {
            let parts = request.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            if parts.count >= 2 {
                event.method = String(parts[0])
                target = String(parts[1])
            } else {
                target = request
            }
        } else {
            throw .missingField(map.path)
        }
        target.withUTF8 { fillTarget(&event, $0, 0, $0.count) }
        return event
    }

    /// Reads a time value per ``ParseConfiguration/timeFormat``.
    private func jsonTime(_ value: Any) -> Int64? {
        let offset = configuration.defaultUTCOffsetMinutes
        if let number = Self.number(value) {
            switch configuration.timeFormat {
            case .epochSeconds: return Int64((number * 1000).rounded())
            case .epochMillis: return Int64(number.rounded())
            case .auto: return abs(number) < 1e11 ? Int64((number * 1000).rounded()) : Int64(number.rounded())
            case .iso8601, .combined: return nil
            }
        }
        guard var text = value as? String else { return nil }
        return text.withUTF8 { b -> Int64? in
            switch configuration.timeFormat {
            case .iso8601: return TimeText.iso8601(b, defaultOffset: offset)
            case .combined: return TimeText.combined(b, 0, b.count, defaultOffset: offset)
            case .epochSeconds, .epochMillis:
                guard let number = Double(String(decoding: b, as: UTF8.self)) else { return nil }
                return configuration.timeFormat == .epochSeconds
                    ? Int64((number * 1000).rounded()) : Int64(number.rounded())
            case .auto:
                if let iso = TimeText.iso8601(b, defaultOffset: offset) { return iso }
                if let combined = TimeText.combined(b, 0, b.count, defaultOffset: offset) { return combined }
                guard let number = Double(String(decoding: b, as: UTF8.self)) else { return nil }
                return abs(number) < 1e11 ? Int64((number * 1000).rounded()) : Int64(number.rounded())
            }
        }
    }

    /// Follows a dotted key path; a literal key containing dots wins over the path.
    static func lookup(_ object: [String: Any], _ path: String) -> Any? {
        if let direct = object[path] { return direct is NSNull ? nil : direct }
        guard path.contains(".") else { return nil }
        var current: Any = object
        for part in path.split(separator: ".") {
            guard let dictionary = current as? [String: Any], let next = dictionary[String(part)] else { return nil }
            current = next
        }
        return current is NSNull ? nil : current
    }

    static func text(_ value: Any?) -> String? {
        switch value {
        case let string as String: return string.isEmpty || string == "-" ? nil : string
        case let number as NSNumber: return number.stringValue
        default: return nil
        }
    }

    static func number(_ value: Any?) -> Double? {
        if value is String { return nil }
        if let number = value as? NSNumber { return number.doubleValue }
        return nil
    }

    static func integer(_ value: Any?) -> Int64? {
        if let number = number(value) { return Int64(number) }
        if let string = value as? String { return Int64(string) }
        return nil
    }
}
