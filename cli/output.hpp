// Writing: every command's standard output goes through one buffer that remembers why a write
// failed, so that a full disk, a closed pipe's reader or /dev/full is reported with its reason
// and exit code 3 instead of being lost, up to the final flush and close of standard output.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <streambuf>
#include <string>

namespace kaohe::cli {

// The exit code of a command whose output (or a file it rewrites) could not be written.
inline constexpr int kExitWriteFailed = 3;

// A streambuf over a file descriptor that keeps the first write error (errno) and, after it,
// writes nothing more: the stream goes bad and the command reports it when it ends.
class FdBuf : public std::streambuf {
public:
    explicit FdBuf(int fd) : fd_(fd), line_buffered_(isatty(fd) == 1) { setp(buf_, buf_ + sizeof buf_); }
    FdBuf(const FdBuf&) = delete;
    FdBuf& operator=(const FdBuf&) = delete;

    int error() const { return error_; }

    // Flushes and closes the descriptor; false (with error()) when either fails.
    bool close() {
        if (!drain()) return false;
        if (closed_) return true;
        closed_ = true;
        // EBADF: it was never open (`>&-`) and nothing was written to it; that is no loss.
        if (::close(fd_) != 0 && errno != EBADF && errno != EINTR) error_ = errno;
        return error_ == 0;
    }

protected:
    int_type overflow(int_type ch) override {
        if (!drain()) return traits_type::eof();
        if (!traits_type::eq_int_type(ch, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(ch);
            pbump(1);
            if (line_buffered_ && ch == '\n' && !drain()) return traits_type::eof();
        }
        return traits_type::not_eof(ch);
    }

    std::streamsize xsputn(const char* s, std::streamsize n) override {
        if (error_) return 0;
        const auto room = epptr() - pptr();
        if (n <= room) {
            std::memcpy(pptr(), s, static_cast<std::size_t>(n));
            pbump(static_cast<int>(n));
        } else {
            if (!drain() || !write_all(s, static_cast<std::size_t>(n))) return 0;
        }
        if (line_buffered_ && std::memchr(s, '\n', static_cast<std::size_t>(n)) && !drain()) return 0;
        return n;
    }

    int sync() override { return drain() ? 0 : -1; }

private:
    bool drain() {
        if (error_) return false;
        const std::size_t n = static_cast<std::size_t>(pptr() - pbase());
        setp(buf_, buf_ + sizeof buf_);
        return write_all(buf_, n);
    }

    bool write_all(const char* p, std::size_t n) {
        if (closed_ && n > 0) {
            error_ = EBADF;
            return false;
        }
        while (n > 0) {
            const ssize_t w = ::write(fd_, p, n);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) {
                error_ = w < 0 ? errno : EIO;
                return false;
            }
            p += w;
            n -= static_cast<std::size_t>(w);
        }
        return true;
    }

    int fd_;
    bool line_buffered_;  // a terminal sees each line as it is written
    bool closed_ = false;
    int error_ = 0;
    char buf_[1 << 16];
};

// Standard output's buffer, installed into std::cout by Output. Never destroyed: std::cout may
// be flushed at exit, after function-local statics are gone.
inline FdBuf& stdout_buf() {
    static FdBuf* const buf = new FdBuf(STDOUT_FILENO);
    return *buf;
}

// Set by a command that has itself said why standard output failed, so that finish() does not
// say it again.
inline bool& stdout_failure_said() {
    static bool said = false;
    return said;
}

// "No space left on device", for a failed write to standard output ("" when none failed).
inline std::string stdout_error() {
    const int e = stdout_buf().error();
    return e ? std::strerror(e) : "";
}

// Installs the buffer at the start of main; finish() ends every command.
struct Output {
    Output() {
        std::ios::sync_with_stdio(false);  // the standard streams need not interleave with C's stdio
        std::cout.rdbuf(&stdout_buf());
    }

    // The command's exit code, or kExitWriteFailed when standard output or standard error could not
    // be written: the first is said on standard error (unless the command has said it already),
    // the second cannot be said at all.
    static int finish(int code) {
        std::cout.flush();
        const bool out_ok = stdout_buf().close();
        if (!out_ok && !stdout_failure_said())
            std::cerr << "kaohe: cannot write to standard output: " << stdout_error() << "\n";
        std::cerr.flush();
        if (!out_ok || !std::cerr) return kExitWriteFailed;
        return code;
    }
};

}  // namespace kaohe::cli
