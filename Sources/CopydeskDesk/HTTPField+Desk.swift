import HTTPTypes

/// Header names the desk sends or reads that HTTPTypes does not name.
extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
}
