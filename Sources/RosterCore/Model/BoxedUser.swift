/// A directory user held by reference. An optional row stored inline in a struct costs its full
/// size (about 150 bytes) even when absent; boxed, it costs one pointer, and a first sync's
/// 100,000 changes and candidates have no row before them.
final class BoxedUser: Sendable {
    let user: DirectoryUser

    init(_ user: DirectoryUser) {
        self.user = user
    }
}
