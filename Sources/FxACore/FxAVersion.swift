/// The version of swift-fxa, reported by `/__version__` and `--version`.
public enum FxAVersion {
    /// Semantic version of this source tree.
    public static let current = "0.1.0"
}
