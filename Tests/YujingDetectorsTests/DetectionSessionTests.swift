import Testing
import YujingCore
@testable import YujingDetectors

@Suite struct DetectionSessionTests {
    /// Structured serial numbers: a real area code + a date + a serial, like case or receipt numbers.
    func serialNumbers(_ count: Int) -> [String] {
        (0..<count).map { i in
            let day = 1 + i % 28
            return "310101" + "2019" + "05" + (day < 10 ? "0\(day)" : "\(day)") + String(format4(1000 + i))
        }
    }

    func format4(_ n: Int) -> String {
        let s = String(n % 10_000)
        return String(repeating: "0", count: 4 - s.count) + s
    }

    @Test func orderNumberColumnWhoseChanceHitsValidateIsSuppressed() {
        let values = serialNumbers(300)
        let validByChance = values.filter { v in
            withBytes(v) { (try? ResidentIDValidator.validate($0, today: testDay).get()) != nil }
        }
        #expect(validByChance.count > 10)  // about 1 in 11 validate by chance
        let rows = [["序号", "受理编号"]] + values.enumerated().map { ["\($0.offset + 1)", $0.element] }
        #expect(scanTable(rows).isEmpty)
        let headerless = [["a", "b"]] + values.enumerated().map { ["\($0.offset + 1)", $0.element] }
        #expect(scanTable(headerless).isEmpty)
    }

    @Test func realIDColumnIsReportedWithColumnAndRecord() throws {
        let ids = (0..<40).map { i in withCheck("3101011985010" + String(1000 + i).suffix(4)) }
        let rows = [["姓名", "身份证号"]] + ids.map { ["张*", $0] }
        let found = scanTable(rows)
        #expect(found.count == ids.count)
        let first = try #require(found.first)
        #expect(first.location.column == "身份证号")
        #expect(first.location.record == 1)
        #expect(first.location.line == 2)
        #expect(first.confidence >= 0.95)
    }

    @Test func idColumnWithoutHeaderIsStillReported() {
        let ids = (0..<40).map { i in withCheck("3101011985010" + String(1000 + i).suffix(4)) }
        let rows = [["c1", "c2"]] + ids.map { ["x", $0] }
        #expect(scanTable(rows).count == ids.count)
    }

    @Test func luhnValidNumbersInAnOrderColumnAreNotCards() {
        let orders = (0..<50).map { i in withLuhn("62" + String(100_000_000_000_000 + i * 7919)) }
        let rows = [["order_no", "amount"]] + orders.map { [$0, "12.50"] }
        #expect(scanTable(rows).isEmpty)
        let cards = [["银行卡号", "户名"]] + orders.map { [$0, "李*"] }
        #expect(scanTable(cards).count == orders.count)
    }

    @Test func contextGatesWeakShapes() {
        let rows = [["护照号码", "港澳通行证", "台胞证", "code"], ["E12345678", "C12345678", "12345678", "E87654321"]]
        let found = scanTable(rows)
        #expect(found.map(\.kind) == [.passport, .travelPermit, .travelPermit])
        let legacy = scanTable([["sfzh"], ["130503670401001"]])
        #expect(legacy.map(\.kind) == [.residentID15])
    }

    @Test func organisationDirectoryContactsAreInstitutional() {
        let directory = [["机构名称", "联系电话", "邮箱"], ["某某社区卫生服务中心", "13812345678", "center@163.com"]]
        #expect(scanTable(directory).isEmpty)
        let withPeople = [["机构名称", "联系人", "联系电话"], ["某某社区卫生服务中心", "王*", "13812345678"]]
        #expect(scanTable(withPeople).map(\.kind) == [.mobile])
        // A resident ID is personal wherever it appears.
        let idInDirectory = [["单位名称", "备注"], ["某某中心", "11010519491231002X"]]
        #expect(scanTable(idInDirectory).map(\.kind) == [.residentID])
    }

    @Test func multiLineCellsReportTheLineWhereTheValueStarts() throws {
        var session = DetectionSession(detector: detector, file: "m.csv")
        session.beginTable(sheet: nil)
        session.defineField(0, name: "备注")
        Array("first line\nsecond 13812345678".utf8).withUnsafeBytes {
            session.scan($0, field: 0, line: 7, record: 3)
        }
        let finding = try #require(session.finish().first)
        #expect(finding.location.line == 8)
        #expect(finding.location.record == 3)
    }

    @Test func minimumConfidenceFiltersAndCounts() {
        let strict = IdentifierDetector(
            configuration: DetectorConfiguration(today: testDay, minimumConfidence: 0.99), key: testKey)
        #expect(strict.findings(in: "13812345678").isEmpty)
        let lax = IdentifierDetector(
            configuration: DetectorConfiguration(today: testDay, minimumConfidence: 0.2), key: testKey)
        #expect(lax.findings(in: "E12345678").map(\.kind) == [.passport])
    }
}

@Suite struct HeldFindingsTests {
    /// Valid credit codes whose check character is a letter (so none is an all-digit serial candidate).
    func creditCodes(_ count: Int) -> [String] {
        var out: [String] = []
        var n = 10_000_000
        while out.count < count {
            n += 7
            var body = Array("91310000".utf8) + Array(String(n).utf8)
            let orgCheck = body.withUnsafeBufferPointer {
                SocialCreditCodeValidator.organisationCheck(UnsafeBufferPointer(rebasing: $0[8..<16]))
            }
            guard let orgCheck else { continue }
            body.append(orgCheck)
            guard let check = body.withUnsafeBufferPointer({ SocialCreditCodeValidator.checkCharacter($0) }),
                check >= 65
            else { continue }
            body.append(check)
            out.append(String(decoding: body, as: UTF8.self))
        }
        return out
    }

    @Test func aLongColumnIsDecidedAndStreamedWithoutWaitingForTheEnd() {
        let codes = creditCodes(100)
        var session = DetectionSession(detector: detector, file: "orgs.csv")
        session.beginTable(sheet: nil)
        session.defineField(0, name: "code")
        var streamed = 0
        for (i, code) in codes.enumerated() {
            Array(code.utf8).withUnsafeBytes { session.scan($0, field: 0, line: i + 2, record: i + 1) }
            streamed += session.drain().count
        }
        #expect(streamed == codes.count)  // nothing left waiting for the end of the table
        #expect(session.finish().isEmpty)
    }
}

@Suite struct InstitutionalContactTests {
    @Test func aPersonalNumberInTheRemarksOfACaseTableIsReported() {
        // 办理单位 names an organisation, but 备注 is no contact column and 经办人 names a person.
        let rows = [["办件编号", "办理单位", "备注"], ["A-1", "某某街道办事处", "已办结，经办人电话13812345678"]]
        #expect(scanTable(rows).map(\.kind) == [.mobile])
    }

    @Test func aNamedPersonInAContactColumnIsPersonal() {
        let rows = [["机构名称", "联系电话"], ["某某中心", "联系人电话13812345678"]]
        #expect(scanTable(rows).map(\.kind) == [.mobile])
        let desk = [["机构名称", "投诉举报渠道"], ["某某中心", "电话：13812345678；邮箱：desk@163.com"]]
        #expect(scanTable(desk).isEmpty)
    }
}
