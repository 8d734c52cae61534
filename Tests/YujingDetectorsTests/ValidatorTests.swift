import Testing
import YujingCore
@testable import YujingDetectors

@Suite struct ValidatorTests {
    @Test(arguments: [
        "91110000600037341L", "121200004013590816", "91310115MA1K3BTP2B", "9144030071526726XG",
        "91620105L015101280", "92340603MA2PBN17X5", "9162010567592034XQ", "92340621MA2UK338XJ",
    ])
    func validSocialCreditCodes(_ code: String) {
        #expect(withBytes(code) { SocialCreditCodeValidator.validate($0) } != nil)
    }

    @Test(arguments: ["A1110000600037341L", "9111000060003IOZSV", "91110000600037341N", "12345"])
    func invalidSocialCreditCodes(_ code: String) {
        #expect(withBytes(code) { SocialCreditCodeValidator.validate($0) } == nil)
    }

    @Test func individualBusinessesArePersonLinked() {
        #expect(withBytes("92340603MA2PBN17X5") { SocialCreditCodeValidator.validate($0) }?.isPersonLinked == true)
        #expect(withBytes("91110000600037341L") { SocialCreditCodeValidator.validate($0) }?.isPersonLinked == false)
    }

    @Test func embeddedOrganisationCodeIsChecked() {
        // Change position 17 and recompute position 18 so only the GB 11714 check can catch it.
        var code = Array("91110000600037341L".utf8)
        code[16] = UInt8(ascii: "2")
        let check = code.withUnsafeBufferPointer { SocialCreditCodeValidator.checkCharacter($0) }
        code[17] = check ?? 0
        #expect(code.withUnsafeBufferPointer { SocialCreditCodeValidator.validate($0) } == nil)
    }

    @Test func luhnAndBrands() {
        #expect(withBytes("4000000000000002") { BankCardValidator.luhn($0) })
        #expect(!withBytes("4000000000000003") { BankCardValidator.luhn($0) })
        #expect(withBytes("6222021234567890123") { BankCardValidator.brand($0) } == .unionPay)
        #expect(withBytes("2221001234567890") { BankCardValidator.brand($0) } == .mastercard)
        #expect(withBytes("2720991234567890") { BankCardValidator.brand($0) } == .mastercard)
        #expect(withBytes("2721001234567890") { BankCardValidator.brand($0) } == nil)
        #expect(withBytes("378282246310005") { BankCardValidator.brand($0) } == .americanExpress)
        #expect(withBytes("3530111333300000") { BankCardValidator.brand($0) } == .jcb)
        #expect(withBytes("1234567890123456") { BankCardValidator.brand($0) } == nil)
    }

    @Test func mobileSegments() {
        for good in ["13812345678", "14512345678", "16212345678", "17400123456", "19912345678", "16101234567"] {
            #expect(withBytes(good) { MobileNumberValidator.segment($0) } != nil, "\(good)")
        }
        for bad in ["12812345678", "15412345678", "16812345678", "17412345678", "19412345678", "13800138000",
            "13888888888", "16112345678"]
        {
            #expect(withBytes(bad) { MobileNumberValidator.segment($0) } == nil, "\(bad)")
        }
        #expect(withBytes("14612345678") { MobileNumberValidator.segment($0) } == .dataOnly)
    }

    @Test func masks() {
        #expect(IdentifierMask.mask(.residentID, canonical: Array("11010519491231002X".utf8)) == "110***********002X")
        #expect(IdentifierMask.mask(.mobile, canonical: Array("13812345678".utf8)) == "138****5678")
        #expect(IdentifierMask.mask(.bankCard, canonical: Array("6222021234567890123".utf8)) == "***************0123")
        #expect(IdentifierMask.mask(.email, canonical: Array("zhangsan@qq.com".utf8)) == "z***@qq.com")
        #expect(IdentifierMask.mask(.passport, canonical: Array("E12345678".utf8)) == "E*****678")
        #expect(!IdentifierMask.mask(.residentID, canonical: Array("11010519491231002X".utf8)).contains("19491231"))
    }

    @Test func keyedHashDependsOnKeyAndJoinsLegacyForm() throws {
        let a = KeyedHasher(key: Array("key-a".utf8)).hash(.residentID, canonical: Array("130503196704010016".utf8))
        let b = KeyedHasher(key: Array("key-b".utf8)).hash(.residentID, canonical: Array("130503196704010016".utf8))
        #expect(a != b)
        #expect(a.count == 32)
        let legacy = try #require(detector.findings(in: "身份证号 130503670401001").first)
        let modern = try #require(detector.findings(in: "130503196704010016").first)
        #expect(legacy.kind == .residentID15)
        #expect(legacy.hash == modern.hash)
    }
}
