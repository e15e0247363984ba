import Foundation
import Glibc

extension FileHandle {
    /// Every byte until end of file. Foundation's `readDataToEndOfFile()` and `readData(ofLength:)` trap
    /// when a signal interrupts the read (`EINTR`, seen on CI while a test read a child process's output
    /// with other tests' children exiting); these read with `read(2)` and try again.
    public func readAllBytes() -> Data {
        var data = Data()
        while let chunk = readChunk(65536) { data.append(contentsOf: chunk) }
        return data
    }

    /// One byte, nil at end of file (or on an error other than an interruption).
    public func readByte() -> UInt8? {
        readChunk(1)?.first
    }

    private func readChunk(_ length: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: length)
        while true {
            let count = Glibc.read(fileDescriptor, &buffer, length)
            if count > 0 { return Array(buffer[..<count]) }
            if count < 0 && errno == EINTR { continue }
            return nil
        }
    }
}
