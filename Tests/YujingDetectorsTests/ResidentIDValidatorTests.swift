import Testing
import YujingCore
@testable import YujingDetectors

@Suite struct ResidentIDValidatorTests {
    @Test(arguments: [
        "360426199101010071", "44011320141005001X", "44011320141005001x", "412723199010050012",
        "110102199101010078", "120110198012010073", "120110199212010072", "11010519491231002X",
        "110111198012010078",
    ])
    func publishedValidVectors(_ id: String) {
        let result = withBytes(id) { ResidentIDValidator.validate($0, today: testDay) }
        #expect((try? result.get()) != nil, "\(id) should validate")
    }

    @Test(arguments: [
        ("360426199113010079", ResidentIDValidator.Rejection.date),
        ("36042619910102009X", .checksum),
        ("110105194912310021", .checksum),
        ("T60426199101010078", .format),
    ])
    func publishedInvalidVectors(_ id: String, _ reason: ResidentIDValidator.Rejection) {
        let result = withBytes(id) { ResidentIDValidator.validate($0, today: testDay) }
        #expect(throws: reason) { try result.get() }
    }

    @Test func monthThirteenIsRejectedEvenWithAValidCheckCharacter() {
        let id = withCheck("36042619911301007")
        let result = withBytes(id) { ResidentIDValidator.validate($0, today: testDay) }
        #expect(throws: ResidentIDValidator.Rejection.date) { try result.get() }
    }

    @Test func february30AndNonLeapFebruary29AreRejected() {
        for body in ["11010520000230002", "11010519000229002", "11010520010229002"] {
            let result = withBytes(withCheck(body)) { ResidentIDValidator.validate($0, today: testDay) }
            #expect(throws: ResidentIDValidator.Rejection.date) { try result.get() }
        }
        let leap = withBytes(withCheck("11010520000229002")) { ResidentIDValidator.validate($0, today: testDay) }
        #expect((try? leap.get()) != nil)
    }

    @Test func futureAndImplausibleYearsAreRejected() {
        let future = withBytes(withCheck("11010120990101123")) { ResidentIDValidator.validate($0, today: testDay) }
        #expect(throws: ResidentIDValidator.Rejection.future) { try future.get() }
        let tomorrow = withBytes(withCheck("11010120261202123")) { ResidentIDValidator.validate($0, today: testDay) }
        #expect(throws: ResidentIDValidator.Rejection.future) { try tomorrow.get() }
        let ancient = withBytes("110101000101011233") { ResidentIDValidator.validate($0, today: testDay) }
        #expect((try? ancient.get()) == nil)
        let old = withBytes("440524188001010014") { ResidentIDValidator.validate($0, today: testDay) }
        #expect(throws: ResidentIDValidator.Rejection.tooOld) { try old.get() }
        let archive = withBytes("440524188001010014") {
            ResidentIDValidator.validate($0, today: testDay, minimumBirthYear: 1880)
        }
        #expect((try? archive.get()) != nil)
    }

    @Test func unknownProvinceIsRejected() {
        let result = withBytes(withCheck("99042619911201007")) { ResidentIDValidator.validate($0, today: testDay) }
        // A leading 9 is the foreigner card branch, so use an unknown mainland province instead.
        #expect((try? result.get())?.isForeignerCard == true)
        let unknown = withBytes(withCheck("19042619911201007")) { ResidentIDValidator.validate($0, today: testDay) }
        #expect(throws: ResidentIDValidator.Rejection.province) { try unknown.get() }
    }

    @Test func countyIsAConfidenceSignalNotAReject() throws {
        // 119900: province 11 is real, county unknown; stdnum crashes on it, we accept at lower confidence.
        let unknownCounty = try withBytes("119900199001011232") { try ResidentIDValidator.validate($0, today: testDay).get() }
        #expect(unknownCounty.county == DivisionCodes.CountyStatus.unknown)
        let known = try withBytes("11010519491231002X") { try ResidentIDValidator.validate($0, today: testDay).get() }
        #expect(known.county == .current)
        let lowCounty = detector.findings(in: "119900199001011232")
        let highCounty = detector.findings(in: "11010519491231002X")
        let low = try #require(lowCounty.first)
        let high = try #require(highCounty.first)
        #expect(low.confidence < high.confidence)
    }

    @Test func residencePermitsAndForeignerCardsAreIDs() throws {
        for body in ["81000019900101123", "82000019900101123", "83000019900101123"] {
            let verdict = try withBytes(withCheck(body)) { try ResidentIDValidator.validate($0, today: testDay).get() }
            #expect(verdict.isResidencePermit)
        }
        let foreigner = try withBytes(withCheck("93115619850101123")) {
            try ResidentIDValidator.validate($0, today: testDay).get()
        }
        #expect(foreigner.isForeignerCard)
        #expect(kinds(withCheck("93115619850101123")) == [.residentID])
    }

    @Test func legacyFifteenDigitUpgrade() throws {
        let upgraded = try #require(withBytes("130503670401001") { ResidentIDValidator.upgradeLegacy($0) })
        #expect(String(decoding: upgraded, as: UTF8.self) == "130503196704010016")
        #expect(withBytes("130503671301001") { ResidentIDValidator.validateLegacy($0, today: testDay) } == nil)
    }
}
