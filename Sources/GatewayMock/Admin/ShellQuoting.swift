/// POSIX shell quoting for the commands the index suggests.
enum ShellQuoting {
    /// `word` as one shell word that stands for exactly its text: in single quotes, inside which no
    /// character is special (POSIX, Shell Command Language §2.2.2), each `'` written as `'\''` (close the
    /// quotes, an escaped quote, reopen them). `a'b` gives `'a'\''b'`; `$(id)` gives `'$(id)'`.
    static func quoted(_ word: String) -> String {
        "'" + word.replacing("'", with: #"'\''"#) + "'"
    }
}
