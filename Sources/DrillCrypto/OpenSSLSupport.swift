internal import COpenSSL

/// Drains OpenSSL's thread-local error queue into one readable line.
///
/// Every failure path calls this (or `ERR_clear_error`) so that stale errors never leak into a
/// later, unrelated call on the same thread.
func drainOpenSSLErrors() -> String {
    var messages: [String] = []
    while true {
        let code = ERR_get_error()
        if code == 0 { break }
        var buffer = [CChar](repeating: 0, count: 256)
        let message = buffer.withUnsafeMutableBufferPointer { buf -> String in
            ERR_error_string_n(code, buf.baseAddress, buf.count)
            return String(cString: buf.baseAddress!)
        }
        messages.append(message)
    }
    return messages.isEmpty ? "no OpenSSL error reported" : messages.joined(separator: "; ")
}

extension Array where Element == UInt8 {
    /// Calls `body` with a pointer that is never null, even for an empty array.
    ///
    /// Some OpenSSL entry points treat a null pointer as "not given" rather than "empty",
    /// so empty inputs get a pointer to a dummy byte and a length of zero.
    func withNonNullBytes<R>(_ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress, !buffer.isEmpty {
                return body(base, buffer.count)
            }
            var dummy: UInt8 = 0
            return withUnsafePointer(to: &dummy) { body($0, 0) }
        }
    }
}
