// kaohe::read_file and kaohe::record_too_large (include/kaohe/kaohe.hpp). A file is opened
// with O_NONBLOCK so that a FIFO without a writer (or a device) never blocks the open; the open
// descriptor is fstat()ed, so the file checked is the file read; and no more than the limit + 1
// bytes are ever read, so /dev/zero or a huge sparse file cost nothing before they are refused.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "support/files.hpp"

namespace kaohe {

namespace {

// What a file that is not a regular file is, in words.
std::string kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a plain file";
}

FileText failed(FileText::Status status, std::string reason) {
    FileText f;
    f.status = status;
    f.reason = std::move(reason);
    return f;
}

FileText not_regular(mode_t mode) {
    return failed(FileText::Status::not_regular, "it is " + kind_of(mode) + ", not a regular file");
}

FileText too_large(std::size_t limit, std::uint64_t size) {
    FileText f = failed(FileText::Status::too_large, "it is larger than " + std::to_string(limit) + " bytes (the limit)");
    f.size = size;
    return f;
}

FileText from_errno(int e, const std::string& path) {
    switch (e) {
        case ENOENT:
        case ENOTDIR: return failed(FileText::Status::not_found, "no such file");
        case EACCES:
        case EPERM: return failed(FileText::Status::permission, "permission denied");
        case ENXIO: {  // a socket (or a device with nothing behind it): say which
            struct stat st {};
            if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) return not_regular(st.st_mode);
            break;
        }
        default: break;
    }
    return failed(FileText::Status::io_error, std::strerror(e));
}

class Descriptor {
public:
    explicit Descriptor(int fd) : fd_(fd) {}
    ~Descriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

}  // namespace

std::string record_too_large(std::string_view size) {
    std::string m = "record is larger than " + std::to_string(kMaxRecordBytes) + " bytes (the limit for a record)";
    if (!size.empty()) (m += ", ") += size;
    return m;
}

std::string file_key(const std::string& path) {
    std::error_code ec;
    const auto canonical = std::filesystem::weakly_canonical(path, ec);
    return ec ? path : canonical.string();
}

FileText read_file(const std::string& path, std::size_t limit) {
    if (path.find('\0') != std::string::npos)
        return failed(FileText::Status::invalid_path, "the path holds a NUL byte");
    int fd;
    do fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) return from_errno(errno, path);
    Descriptor d(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0) return from_errno(errno, path);
    if (!S_ISREG(st.st_mode)) return not_regular(st.st_mode);
    if (st.st_size > 0 && static_cast<std::uint64_t>(st.st_size) > limit)
        return too_large(limit, static_cast<std::uint64_t>(st.st_size));
    FileText f;
    f.status = FileText::Status::ok;
    // The size is a hint only (the file may grow while it is read); the limit is enforced below.
    f.text.resize(static_cast<std::size_t>(st.st_size) + 1);
    std::size_t have = 0;
    for (;;) {
        if (have == f.text.size()) {
            if (have > limit) break;
            f.text.resize(std::min(limit + 1, std::max<std::size_t>(have * 2, 4096)));
        }
        const ssize_t n = ::read(fd, f.text.data() + have, f.text.size() - have);
        if (n < 0) {
            if (errno == EINTR) continue;
            return failed(FileText::Status::io_error, std::strerror(errno));
        }
        if (n == 0) break;
        have += static_cast<std::size_t>(n);
    }
    if (have > limit) return too_large(limit, 0);
    f.text.resize(have);
    return f;
}

}  // namespace kaohe
