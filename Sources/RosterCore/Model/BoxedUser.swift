/// An optional directory user held by reference. Stored inline, an optional row costs its full
/// size (about 150 bytes) even when absent; boxed, it costs one pointer, and a first sync's
/// 100,000 changes and candidates have no row before them.
@propertyWrapper
public struct BoxedUser: Sendable {
    private final class Box: Sendable {
        let user: DirectoryUser

        init(_ user: DirectoryUser) {
            self.user = user
        }
    }

    private var box: Box?

    public init(wrappedValue: DirectoryUser?) {
        box = wrappedValue.map(Box.init)
    }

    public var wrappedValue: DirectoryUser? {
        get { box?.user }
        set { box = newValue.map(Box.init) }
    }
}
