import Testing
import YujingCore
@testable import YujingDetectors

@Suite struct TokenScannerTests {
    @Test func findsEachKindInRunningText() {
        #expect(kinds("身份证号：11010519491231002X。") == [.residentID])
        #expect(kinds("联系电话13812345678") == [.mobile])
        #expect(kinds("卡号 6222021234567890128") == [.bankCard] || kinds("卡号 " + withLuhn("622202123456789012")) == [.bankCard])
        #expect(kinds("统一社会信用代码 91110000600037341L") == [.socialCreditCode])
        #expect(kinds("mail me: zhangsan@qq.com.") == [.email])
        #expect(kinds("护照号码 E12345678") == [.passport])
        #expect(kinds("港澳通行证 C12345678") == [.travelPermit])
        #expect(kinds("回乡证 H1234567801") == [.travelPermit])
    }

    @Test func mobileForms() {
        for text in ["13812345678", "+86 138 1234 5678", "0086-138-1234-5678", "138-1234-5678", "138 1234 5678",
            "+86 13812345678", "86-138-1234-5678", "电话：１３８１２３４５６７８"]
        {
            let found = detector.findings(in: "x " + text + " y")
            #expect(found.map(\.kind) == [.mobile], "\(text)")
            #expect(found.first?.masked == "138****5678", "\(text)")
        }
    }

    @Test func matchesAreWholeTokensOnly() {
        let id = "11010519491231002X"
        #expect(kinds("9" + id).isEmpty)  // 19 characters: not an ID window
        #expect(kinds("ab" + id).isEmpty)
        #expect(kinds(id + "7").isEmpty)
        #expect(kinds("tel13812345678").isEmpty)  // glued to ASCII letters
        #expect(kinds("213812345678").isEmpty)
        #expect(kinds("1381234567800").isEmpty)  // inside a 13-digit millisecond timestamp
        #expect(kinds("20231201123045123").isEmpty)  // 17-digit timestamp
        #expect(kinds("20231201123045123456").isEmpty)  // 20 digits containing many 18-digit windows
        #expect(kinds("1701388800000").isEmpty)  // epoch milliseconds
        #expect(kinds("1541815603606036480").isEmpty)  // snowflake id
    }

    @Test func maskedValuesAreNotLeaks() {
        #expect(kinds("110***********002X 138****5678 ***************0123 z***@qq.com").isEmpty)
    }

    @Test func excelMangledNumbersAreNotIdentifiers() {
        #expect(kinds("1.10105199E+17").isEmpty)
        #expect(kinds("6.2539995E7").isEmpty)
        #expect(kinds("1.10105194912310E+17").isEmpty)
        #expect(kinds("3.379676E7,200041.0").isEmpty)
        #expect(kinds("0.13812345678").isEmpty)
        #expect(kinds("13812345678.25").isEmpty)
        #expect(kinds("13812345678.0") == [.mobile])  // all digits survived: still the number
    }

    @Test func invalidDecoysAreNotReported() {
        #expect(kinds("110105194912310021").isEmpty)  // wrong check character
        #expect(kinds(withCheck("36042619911301007")).isEmpty)  // month 13
        #expect(kinds("4000000000000003").isEmpty)  // Luhn fails
        #expect(kinds("1234567890123452").isEmpty)  // no issuer prefix
        #expect(kinds("91110000600037341N").isEmpty)
        #expect(kinds("E12345678").isEmpty)  // passport shape without context
        #expect(kinds("12345678").isEmpty)
        #expect(kinds("130503670401001").isEmpty)  // legacy ID without context
        #expect(kinds("icon@2x.png git@github.com pkg@1.2.3").isEmpty)
    }

    @Test func groupedCardsAndIDs() {
        let card = withLuhn("622202123456789012")
        let grouped = stride(from: 0, to: 19, by: 4).map { i -> String in
            let s = card.index(card.startIndex, offsetBy: i)
            let e = card.index(s, offsetBy: min(4, 19 - i))
            return String(card[s..<e])
        }.joined(separator: " ")
        #expect(kinds(grouped) == [.bankCard])
        #expect(kinds("110105 19491231 002X") == [.residentID])
        #expect(kinds("2023 12 01 13:45").isEmpty)
    }

    @Test func lowerCaseAndFullWidthForms() {
        #expect(kinds("44011320141005001x") == [.residentID])
        #expect(kinds("身份证：１１０１０５１９４９１２３１００２Ｘ") == [.residentID])
        #expect(kinds("91310115ma1k3btp2b") == [.socialCreditCode])
    }

    @Test func findingsCarryMaskAndHashButNeverTheClearValue() throws {
        let finding = try #require(detector.findings(in: "id 11010519491231002X", file: "f.txt").first)
        #expect(finding.masked == "110***********002X")
        #expect(finding.hash.count == 32)
        #expect(finding.location.file == "f.txt")
        #expect(finding.location.line == 1)
        let dump = String(describing: finding)
        #expect(!dump.contains("11010519491231002X"))
        #expect(!dump.contains("19491231"))
    }
}
