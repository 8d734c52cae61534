import Foundation

/// The generated evidence corpus of issue 2: one file per supported format and encoding, with planted
/// identifiers of every kind (valid check characters) and the decoys that fool regular expressions.
///
/// Everything is derived from a seed, so the corpus is identical on every run. ``expected`` lists the
/// findings the scan must report — exactly these, no more: decoys have no entry.
struct PlantedCorpus {
    /// A text-format file and how to encode it.
    struct TextFile {
        enum Encoding {
            case utf8, utf8BOM, gbk
        }

        var builder: TextFileBuilder
        var encoding: Encoding
    }

    private(set) var textFiles: [TextFile] = []
    private(set) var workbooks: [WorkbookBuilder] = []
    private var factory: IdentifierFactory

    /// Every finding the scan must report.
    var expected: [ExpectedFinding] {
        textFiles.flatMap(\.builder.expected) + workbooks.flatMap(\.expected)
    }

    /// The names of all files, relative to the corpus folder.
    var fileNames: [String] {
        textFiles.map(\.builder.name) + workbooks.map(\.name)
    }

    static let surnames = Array("张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗")
    static let givenNames = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "秀英", "建华", "志强"]

    /// Generates the corpus.
    init(seed: UInt64) {
        factory = IdentifierFactory(seed: seed)
        personsUTF8()
        personsBOM()
        personsGBK()
        peopleTSV()
        orders()
        ordersHeaderless()
        organisationDirectory()
        recordsJSON()
        eventsJSONLines()
        archiveXML()
        notice()
        workbook()
    }

    /// Writes every file into `directory` (XLSX through python3 `openpyxl`, GBK through `iconv`), using
    /// `workDirectory` for helper files.
    func write(to directory: String, workDirectory: String) throws {
        for file in textFiles {
            let path = (directory as NSString).appendingPathComponent(file.builder.name)
            let bytes: [UInt8]
            switch file.encoding {
            case .utf8: bytes = Array(file.builder.text.utf8)
            case .utf8BOM: bytes = [0xEF, 0xBB, 0xBF] + Array(file.builder.text.utf8)
            case .gbk: bytes = try ExternalTool.gbk(file.builder.text, in: workDirectory)
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        for workbook in workbooks {
            try workbook.write(
                to: (directory as NSString).appendingPathComponent(workbook.name), workDirectory: workDirectory)
        }
    }

    // MARK: - Helpers

    private mutating func name() -> String {
        String(factory.rng.pick(Self.surnames)) + factory.rng.pick(Self.givenNames)
    }

    private mutating func amount() -> String {
        String(Int.random(in: 5...999, using: &factory.rng)) + "."
            + IdentifierFactory.two(Int.random(in: 0...99, using: &factory.rng))
    }

    /// A 19-digit number made of a valid ID plus one digit, chosen so that it is not a Luhn-valid card either.
    private mutating func idWindow19() -> String {
        let id = factory.residentID()
        for digit in 0...9 where !IdentifierFactory.luhnValid(id + String(digit)) {
            return id + String(digit)
        }
        return id + "0"
    }

    // MARK: - CSV, UTF-8

    /// A person table: IDs (incl. `X` and lower-case `x`), mobiles, UnionPay cards, e-mail; decoys in the
    /// ID, mobile and remarks columns; one remark is a quoted field spanning two lines.
    private mutating func personsUTF8() {
        var file = TextFileBuilder(name: "persons-utf8.csv")
        var rows: [[[Part]]] = []
        for index in 0..<20 {
            let id: Part
            switch index {
            case 2: id = .plant(.id(factory.residentID(checkX: true)))
            case 4: id = .plant(.idLowerX(factory.residentID(checkX: true)))
            case 7: id = .text(factory.impossibleDate("0230"))
            case 11: id = .text(factory.impossibleDate("1301"))
            case 14: id = .text(factory.wrongCheck())
            case 17: id = "110***********002X"
            default: id = .plant(.id(factory.residentID()))
            }
            let mobile: Part
            switch index {
            case 3, 13: mobile = .plant(.mobile(factory.mobile(), form: .hyphens))
            case 8: mobile = "138****5678"
            case 15: mobile = "13800138000"
            default: mobile = .plant(.mobile(factory.mobile()))
            }
            let card: Part = index == 5 ? "" : .plant(.card(factory.unionPay(length: index % 3 == 0 ? 16 : 19)))
            let email: Part = .plant(.email(factory.email(domain: index % 2 == 0 ? "qq.com" : "163.com")))
            let remark: [Part]
            switch index {
            case 1: remark = ["1.10105199E+17"]
            case 6: remark = ["6.2539995E7"]
            case 9: remark = ["紧急联系人，\n电话", .plant(.mobile(factory.mobile()))]
            case 12: remark = ["登记时间戳", .text(factory.epochMillis())]
            default: remark = ["已核验"]
            }
            rows.append([[.text(name())], [index % 2 == 0 ? "男" : "女"], [id], [mobile], [card], [email], remark])
        }
        file.table(header: ["姓名", "性别", "身份证号", "手机号码", "银行卡号", "电子邮箱", "备注"], rows: rows)
        textFiles.append(TextFile(builder: file, encoding: .utf8))
    }

    // MARK: - CSV, UTF-8 with BOM, CRLF, pinyin headers

    /// Residence permits (810000/820000/830000), the foreigner card, legacy 15-digit IDs under `sfzh`,
    /// mobiles written `+86 138 1234 5678` and `0086-138-1234-5678`.
    private mutating func personsBOM() {
        var file = TextFileBuilder(name: "persons-bom.csv")
        var rows: [[[Part]]] = []
        for index in 0..<12 {
            let id: Plant
            switch index {
            case 1: id = .id(factory.residencePermit(area: "810000"))
            case 3: id = .id(factory.residencePermit(area: "820000"))
            case 5: id = .id(factory.residencePermit(area: "830000"))
            case 7: id = .id(factory.foreignerCard())
            case 2, 9: id = .legacy(factory.legacyID())
            default: id = .id(factory.residentID())
            }
            let mobile = Plant.mobile(factory.mobile(), form: index % 2 == 0 ? .plus86 : .zero086)
            rows.append([
                [.text(name())], [.plant(id)], [.plant(mobile)], [.plant(.card(factory.unionPay(length: 16)))],
                [.plant(.email(factory.email(domain: "163.com")))],
            ])
        }
        file.table(header: ["xm", "sfzh", "lxdh", "yhkh", "email"], rows: rows, newline: "\r\n")
        textFiles.append(TextFile(builder: file, encoding: .utf8BOM))
    }

    // MARK: - CSV, GBK, CRLF

    /// Visa and Mastercard (2221–2720) under a card header, passports, Hong Kong/Macao permits (9 and 11
    /// characters, `C` permits with a serial letter) and Taiwan permits (8 digits, header only).
    private mutating func personsGBK() {
        var file = TextFileBuilder(name: "persons-gbk.csv")
        var rows: [[[Part]]] = []
        for index in 0..<8 {
            let card: String
            switch index % 3 {
            case 0: card = factory.visa()
            case 1: card = factory.mastercard2Series()
            default: card = factory.unionPay(length: 19)
            }
            let permit: String
            switch index % 4 {
            case 0: permit = factory.travelPermit("H", digits: 8)
            case 1: permit = factory.travelPermit("M", digits: 10)
            case 2: permit = factory.travelPermit("C", digits: 8)
            default: permit = "C" + String(factory.rng.pick(Array("ABDEFGHJK"))) + factory.rng.digits(7)
            }
            rows.append([
                [.text(name())], [.plant(.id(factory.residentID()))],
                [.plant(.mobile(factory.mobile(), form: index % 2 == 0 ? .plain : .spaces))], [.plant(.card(card))],
                [.plant(.passport(factory.passport(letterSerial: index % 2 == 1)))], [.plant(.permit(permit))],
                [.plant(.permit(factory.rng.digits(8)))],
            ])
        }
        file.table(
            header: ["姓名", "公民身份号码", "联系电话", "银行卡号", "护照号码", "港澳通行证号码", "台胞证号码"], rows: rows,
            newline: "\r\n")
        textFiles.append(TextFile(builder: file, encoding: .gbk))
    }

    // MARK: - TSV

    /// One 证件号码 column holding IDs, passports and permits side by side.
    private mutating func peopleTSV() {
        var file = TextFileBuilder(name: "people.tsv")
        var rows: [[[Part]]] = []
        for index in 0..<9 {
            let document: (String, Plant)
            switch index % 3 {
            case 0: document = ("居民身份证", .id(factory.residentID()))
            case 1: document = ("护照", .passport(factory.passport()))
            default: document = ("港澳居民来往内地通行证", .permit(factory.travelPermit("H", digits: 8)))
            }
            rows.append([
                [.text(name())], [.text(document.0)], [.plant(document.1)], [.plant(.mobile(factory.mobile()))],
                [.plant(.email(factory.email(domain: "qq.com")))],
            ])
        }
        file.table(header: ["姓名", "证件类型", "证件号码", "手机", "邮箱"], rows: rows, delimiter: "\t")
        textFiles.append(TextFile(builder: file, encoding: .utf8))
    }

    // MARK: - Order tables (decoys)

    /// An order table: 18-digit order numbers (area + date + serial; every 11th passes MOD 11-2 by
    /// construction) mixed with Luhn-valid 16-digit ones, Luhn-valid 16-digit payment serials, 17-digit
    /// timestamps, epoch milliseconds, snowflake ids, identifiers hidden inside 13/19/20-digit numbers; the only
    /// planted values are customer mobiles.
    private mutating func orders() {
        var file = TextFileBuilder(name: "orders.csv")
        var rows: [[[Part]]] = []
        for index in 0..<60 {
            let reference: String
            switch index % 5 {
            case 0: reference = "9" + factory.residentID() + "3"
            case 1: reference = idWindow19()
            case 2: reference = factory.compactTimestamp(digits: 20)
            case 3: reference = "86" + factory.mobile()
            default: reference = factory.unionPay(length: 16) + factory.rng.digits(4)
            }
            let mobile: Part = index % 3 == 0 ? "138****5678" : .plant(.mobile(factory.mobile()))
            // Mostly 18-digit area + date + serial numbers; every 7th a Luhn-valid 16-digit one from another system.
            let order =
                index % 7 == 6
                ? factory.luhnValidSerial() : factory.orderNumber(area: "310104", checksumValid: index % 11 == 3)
            rows.append([
                [.text(order)],
                [.text(factory.luhnValidSerial())], [.text(factory.compactTimestamp(digits: 17))],
                [.text(factory.epochMillis())], [.text(factory.snowflake())], [.text(reference)], [.text(name())],
                [mobile], [.text(amount())],
            ])
        }
        file.table(
            header: ["订单号", "支付流水号", "下单时间", "时间戳", "id", "参考号", "收货人", "收货人电话", "金额"], rows: rows)
        textFiles.append(TextFile(builder: file, encoding: .utf8))
    }

    /// A headerless export of order numbers issued in Lanzhou (620102: Gansu, so every number also starts
    /// like a UnionPay card); every 11th passes MOD 11-2 by construction. Nothing is planted.
    private mutating func ordersHeaderless() {
        var file = TextFileBuilder(name: "orders-headerless.csv")
        var rows: [[[Part]]] = []
        for index in 0..<80 {
            rows.append([
                [.text(factory.orderNumber(area: "620102", checksumValid: index % 11 == 5))], [.text(amount())],
                ["已完成"],
            ])
        }
        file.table(header: nil, rows: rows)
        textFiles.append(TextFile(builder: file, encoding: .utf8))
    }

    /// An organisation directory: contact mobiles and e-mail of institutions are not personal data, so
    /// nothing is expected (the issue's organisation-directory rule).
    private mutating func organisationDirectory() {
        var file = TextFileBuilder(name: "org-directory.csv")
        var rows: [[[Part]]] = []
        let streets = ["漕溪北路", "天钥桥路", "龙华中路", "虹漕路", "田林路", "桂林路"]
        for index in 0..<6 {
            rows.append([
                [.text("徐汇区\(streets[index])社区卫生服务中心")], [.text("上海市徐汇区\(streets[index])\(index * 37 + 12)号")],
                [.text(factory.mobile())], [.text(factory.email(domain: "163.com"))],
            ])
        }
        file.table(header: ["机构名称", "地址", "联系电话", "电子邮箱"], rows: rows)
        textFiles.append(TextFile(builder: file, encoding: .utf8))
    }

    // MARK: - JSON

    /// A top-level array of nested objects: IDs as strings (one lower-case `x`), mobiles in arrays, 19-digit
    /// cards as raw JSON numbers, family members in nested arrays; order numbers, snowflake ids, epoch
    /// milliseconds, masked and Excel-mangled values as decoys.
    private mutating func recordsJSON() {
        var file = TextFileBuilder(name: "records.json")
        file.append("[\n")
        var orderIndex = 0
        for record in 1...8 {
            let idPlant: Plant = record == 3 ? .idLowerX(factory.residentID(checkX: true)) : .id(factory.residentID())
            file.append("  {\n    \"name\": \"\(name())\",\n    \"sfzh\": \"")
            file.plant(idPlant, record: record, column: "$[*].sfzh")
            file.append("\",\n    \"contact\": {\n      \"mobile\": \"")
            file.plant(.mobile(factory.mobile()), record: record, column: "$[*].contact.mobile")
            file.append("\",\n      \"email\": \"")
            file.plant(
                .email(factory.email(domain: record % 2 == 0 ? "qq.com" : "163.com")), record: record,
                column: "$[*].contact.email")
            file.append("\",\n      \"phones\": [\"")
            file.plant(.mobile(factory.mobile(), form: .plus86), record: record, column: "$[*].contact.phones[*]")
            file.append("\", \"")
            file.plant(.mobile(factory.mobile(), form: .zero086), record: record, column: "$[*].contact.phones[*]")
            file.append("\"]\n    },\n    \"cards\": [")
            file.plant(.card(factory.unionPay(length: 19)), record: record, column: "$[*].cards[*]")
            file.append("],\n    \"family\": [\n      {\"relation\": \"配偶\", \"idcard\": \"")
            file.plant(.id(factory.residentID()), record: record, column: "$[*].family[*].idcard")
            file.append("\"}\n    ],\n    \"orders\": [\n")
            for item in 0..<2 {
                let order = factory.orderNumber(area: "440113", checksumValid: orderIndex % 8 == 2)
                orderIndex += 1
                file.append(
                    "      {\"order_no\": \"\(order)\", \"amount\": \(amount()), \"created\": \(factory.epochMillis()), "
                        + "\"trace\": \(factory.snowflake())}\(item == 0 ? "," : "")\n")
            }
            file.append("    ],\n    \"excel\": 1.10105199E+17,\n    \"masked_id\": \"110***********002X\"\n")
            file.append(record == 8 ? "  }\n" : "  },\n")
        }
        file.append("]\n")
        textFiles.append(TextFile(builder: file, encoding: .utf8))
    }

    /// JSON Lines: one registration event per line (record = line).
    private mutating func eventsJSONLines() {
        var file = TextFileBuilder(name: "events.jsonl")
        for line in 1...12 {
            file.append("{\"event\":\"register\",\"user\":{\"name\":\"\(name())\",\"idcard\":\"")
            file.plant(.id(factory.residentID()), record: line, column: "$.user.idcard")
            file.append("\",\"phone\":\"")
            file.plant(
                .mobile(factory.mobile(), form: line % 2 == 0 ? .plus86 : .plain), record: line, column: "$.user.phone")
            let order = factory.orderNumber(area: "330106", checksumValid: line == 4)
            file.append(
                "\"},\"ts\":\(factory.epochMillis()),\"trace_id\":\"\(factory.compactTimestamp(digits: 20))\","
                    + "\"order\":{\"order_id\":\"\(order)\"}}\n")
        }
        textFiles.append(TextFile(builder: file, encoding: .utf8))
    }

    // MARK: - XML

    /// Elements and attributes: IDs in attributes (one on the second line of its start tag), mobiles,
    /// cards, passports and a note in text content; enterprises with credit codes (incl. `92…`).
    private mutating func archiveXML() {
        var file = TextFileBuilder(name: "archive.xml")
        file.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<archive>\n")
        var record = 0
        for index in 0..<6 {
            record += 1
            if index == 4 {
                file.append("  <person gender=\"女\"\n          sfzh=\"")
            } else {
                file.append("  <person seq=\"\(record)\" sfzh=\"")
            }
            file.plant(.id(factory.residentID()), record: record, column: "/archive/person/@sfzh")
            file.append("\">\n    <name>\(name())</name>\n    <mobile>")
            file.plant(.mobile(factory.mobile()), record: record, column: "/archive/person/mobile")
            file.append("</mobile>\n    <bankcard>")
            file.plant(.card(factory.unionPay(length: 19)), record: record, column: "/archive/person/bankcard")
            file.append("</bankcard>\n    <passport>")
            file.plant(.passport(factory.passport()), record: record, column: "/archive/person/passport")
            file.append("</passport>\n    <note>\n      2024年登记，联系电话 ")
            file.plant(.mobile(factory.mobile(), form: .zero086), record: record, column: "/archive/person/note")
            file.append(
                "，\n      受理编号 \(factory.orderNumber(area: "310115", checksumValid: false))，已脱敏 138****5678\n    </note>\n  </person>\n"
            )
        }
        for prefix in ["91", "92", "12"] {
            record += 1
            file.append("  <enterprise uscc=\"")
            file.plant(.uscc(factory.uscc(prefix: prefix)), record: record, column: "/archive/enterprise/@uscc")
            file.append(
                "\">\n    <name>上海某某\(prefix == "92" ? "便利店" : "有限公司")</name>\n    <registered>\(factory.compactTimestamp(digits: 17))</registered>\n  </enterprise>\n"
            )
        }
        file.append("</archive>\n")
        textFiles.append(TextFile(builder: file, encoding: .utf8))
    }

    // MARK: - Plain text

    /// Free Chinese prose with identifiers glued to the text (`联系电话13812345678`), all four mobile forms,
    /// keyword-gated 15-digit IDs, passports and permits, and every kind of decoy.
    private mutating func notice() {
        var file = TextFileBuilder(name: "notice.txt")
        func line(_ file: inout TextFileBuilder, _ parts: [Part]) {
            let number = file.currentLine
            file.append(parts, record: number, column: nil)
            file.append("\n")
        }
        line(&file, ["关于2024年度公共租赁住房准入资格复核结果的公示"])
        line(&file, [])
        line(&file, ["根据《上海市公共租赁住房管理办法》，现将复核结果公示如下。"])
        line(
            &file,
            [
                "申请人\(name())，身份证号码", .plant(.id(factory.residentID())), "，联系电话", .plant(.mobile(factory.mobile())),
                "，已通过复核。",
            ])
        line(
            &file,
            [
                "申请人\(name())，公民身份号码", .plant(.idLowerX(factory.residentID(checkX: true))), "，手机",
                .plant(.mobile(factory.mobile(), form: .plus86)), "。",
            ])
        line(
            &file,
            [
                "如有异议，请拨打", .plant(.mobile(factory.mobile(), form: .zero086)), "或",
                .plant(.mobile(factory.mobile(), form: .hyphens)), "与经办人联系。",
            ])
        line(
            &file,
            [
                "\(name())（身份证", .plant(.legacy(factory.legacyID())), "）的补贴将打入其银行卡",
                .plant(.card(factory.unionPay(length: 19))), "。",
            ])
        line(
            &file,
            [
                "港澳居民\(name())，护照号码", .plant(.passport(factory.passport())), "，回乡证",
                .plant(.permit(factory.travelPermit("M", digits: 8))), "。",
            ])
        line(
            &file,
            [
                "电子邮箱：", .plant(.email(factory.email(domain: "qq.com"))), "，或",
                .plant(.email(factory.email(domain: "163.com"))), "。",
            ])
        line(&file, ["台湾居民\(name())居住证号码", .plant(.id(factory.residencePermit(area: "830000"))), "。"])
        line(
            &file,
            [
                "物业公司（统一社会信用代码", .plant(.uscc(factory.uscc(prefix: "91"))), "）与个体户（",
                .plant(.uscc(factory.uscc(prefix: "92"))), "）负责登记。",
            ])
        line(&file, ["经复核，", .plant(.id(factory.residentID())), "、", .plant(.id(factory.residentID())), "两户材料齐全。"])
        line(
            &file,
            [
                "值班电话", .plant(.mobile(factory.mobile(), form: .hyphens)), "，备用",
                .plant(.mobile(factory.mobile(), form: .plus86)), "；工作日接听。",
            ])
        // Decoys from here on: none of these may be reported.
        line(
            &file,
            [
                "本次公示批次号", .text(factory.orderNumber(area: "310104", checksumValid: false)), "，系统流水号",
                .text(factory.snowflake()), "，生成于", .text(factory.compactTimestamp(digits: 17)), "（",
                .text(factory.epochMillis()), "）。",
            ])
        line(&file, ["以下号码已脱敏：110***********002X、138****5678、6222********1234。"])
        line(
            &file,
            [
                "无效记录：", .text(factory.wrongCheck()), "（校验位错误）；", .text(factory.impossibleDate("0230")), "；",
                .text(factory.impossibleDate("1301")), "。",
            ])
        line(
            &file,
            [
                "交易参考号", .text("9" + factory.residentID() + "3"), "，", .text(idWindow19()), "，",
                .text("86" + factory.mobile()), "，", .text(factory.compactTimestamp(digits: 20)), "。",
            ])
        line(&file, ["Excel导出的 1.10105199E+17 与 6.2539995E7 不是有效号码。"])
        line(
            &file,
            [
                "设备型号G", .text(factory.rng.digits(8)), "，客服热线13800138000，tel", .text(factory.mobile()), "，档号",
                .text(factory.legacyID()), "。",
            ])
        line(&file, ["订单号", .text(factory.luhnValidSerial()), "已关闭。"])
        textFiles.append(TextFile(builder: file, encoding: .utf8))
    }

    // MARK: - XLSX

    /// Three sheets: a person table (mobiles as numeric cells, Excel-mangled numbers), enterprises with
    /// credit codes, and a headerless sheet (columns named by letter).
    private mutating func workbook() {
        var book = WorkbookBuilder(name: "workbook.xlsx")
        var people: [[WorkbookBuilder.Cell]] = []
        for index in 0..<10 {
            let id = factory.residentID()
            var remark: WorkbookBuilder.Cell = .text("正常")
            switch index {
            case 1: remark = .float(1.10105199E+17)
            case 3: remark = .text("6.2539995E7")
            case 5:
                // An 18-digit ID as Excel stores it after rounding to 15 digits (checksum broken).
                let truncated = String(factory.residentID().prefix(15)) + "000"
                if IdentifierFactory.residentCheck(truncated) != "0" { remark = .integer(Int(truncated) ?? 0) }
            default: break
            }
            people.append([
                .text(name()), .plant(.id(id), numeric: false),
                .plant(.mobile(factory.mobile()), numeric: index % 2 == 0),
                .plant(.card(factory.unionPay(length: 19)), numeric: false), remark,
            ])
        }
        book.sheet("人员信息", header: ["姓名", "身份证号", "手机", "银行卡号", "备注"], rows: people)
        var enterprises: [[WorkbookBuilder.Cell]] = []
        let codes = [
            factory.uscc(prefix: "91"), factory.uscc(prefix: "92"), factory.uscc(prefix: "92", digitBody: true),
            factory.uscc(prefix: "12"), factory.uscc(prefix: "52"), factory.uscc(prefix: "91", digitBody: true),
            // 17 digits and the check character X: the shape of a resident ID, but a valid credit code.
            factory.usccEndingInX(prefix: "92"),
        ]
        for code in codes {
            enterprises.append([
                .text("上海某某商贸有限公司"), .plant(.uscc(code), numeric: false), .text(name()),
                .plant(.mobile(factory.mobile()), numeric: true),
            ])
        }
        book.sheet("企业", header: ["企业名称", "统一社会信用代码", "经营者姓名", "联系电话"], rows: enterprises)
        var bare: [[WorkbookBuilder.Cell]] = []
        for _ in 0..<5 {
            bare.append([
                .plant(.id(factory.residentID()), numeric: false), .plant(.mobile(factory.mobile()), numeric: false),
                .text("138****5678"),
            ])
        }
        book.sheet("Sheet3", header: nil, rows: bare)
        workbooks.append(book)
    }
}
