/// FxA's `DISPLAY_SAFE_UNICODE`: the characters a name a user or a device
/// chose may hold (display names, device names). No C0 or C1 control
/// characters, line or paragraph separators, private-use characters or the
/// specials block, which would otherwise reach other pages and logs.
public enum DisplaySafeText {
    /// Whether `scalar` may appear in such a name.
    public static func allows(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0xE000...0xF8FF, 0xFFF9...0xFFFF: false
        default: true
        }
    }

    /// Whether every character of `text` may appear in such a name.
    public static func allows(_ text: some StringProtocol) -> Bool {
        text.unicodeScalars.allSatisfy(allows)
    }
}
