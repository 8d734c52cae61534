/// The center's own requests that verify a withdrawal (it fetches the dataset's public URL): they carry this
/// User-Agent, and the traceback leaves them out when they come from the center's addresses.
public enum VerificationProbe {
    /// User-Agent of verification requests.
    public static let userAgent = "yujing-verify/1"
}
