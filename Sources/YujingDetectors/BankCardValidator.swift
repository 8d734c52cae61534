/// Payment card numbers: Luhn (ISO/IEC 7812) and issuer prefix with the brand's lengths.
public enum BankCardValidator {
    /// Card brands recognised by issuer prefix.
    public enum Brand: String, Sendable {
        case unionPay, visa, mastercard, jcb, americanExpress
    }

    /// Luhn check over ASCII digits.
    /// - Parameter digits: ASCII digits.
    /// - Returns: Whether the number passes mod 10.
    public static func luhn(_ digits: UnsafeBufferPointer<UInt8>) -> Bool {
        var sum = 0
        var double = false
        var i = digits.count - 1
        while i >= 0 {
            var d = Int(digits[i]) &- 48
            if d < 0 || d > 9 { return false }
            if double {
                d &*= 2
                if d > 9 { d &-= 9 }
            }
            sum &+= d
            double.toggle()
            i -= 1
        }
        return sum % 10 == 0
    }

    /// The brand whose issuer prefix and length fit, if any.
    /// - Parameter digits: 15–19 ASCII digits.
    /// - Returns: The brand, or nil.
    public static func brand(_ digits: UnsafeBufferPointer<UInt8>) -> Brand? {
        let n = digits.count
        guard n >= 15, n <= 19 else { return nil }
        let d0 = Int(digits[0]) - 48
        let d1 = Int(digits[1]) - 48
        let two = d0 * 10 + d1
        let four = two * 100 + (Int(digits[2]) - 48) * 10 + Int(digits[3]) - 48
        switch n {
        case 15:
            return two == 34 || two == 37 ? .americanExpress : nil
        default:
            if two == 62 { return .unionPay }
            if d0 == 4, n == 16 || n == 19 { return .visa }
            if n == 16, (51...55).contains(two) || (2221...2720).contains(four) { return .mastercard }
            if (3528...3589).contains(four) { return .jcb }
            return nil
        }
    }
}
