import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Calls a handler for each delivery of the given signals, on a serial dispatch queue of its own.
///
/// The queue is not the concurrency pool on purpose: a stop must be handled even while every pool
/// thread is busy planning a large run. Dispatch's signal sources take the signal from the
/// default action (termination) for as long as they exist (swift-service-lifecycle's
/// `UnixSignalsSequence` works the same way).
public final class UnixSignalHandler: Sendable {
    private let sources: Mutex<[any DispatchSourceSignal]>

    public init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "roster.signals")
        let sources: [any DispatchSourceSignal] = signals.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
        self.sources = Mutex(sources)
    }

    /// Stops handling: the signals get their default action again.
    public func cancel() {
        sources.withLock { sources in
            for source in sources { source.cancel() }
            sources.removeAll()
        }
    }

    /// The name shown in logs: `SIGTERM`.
    public static func name(_ number: Int32) -> String {
        switch number {
        case SIGHUP: return "SIGHUP"
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        default: return "signal \(number)"
        }
    }
}
