// Reading files: kaohe::read_file refuses what is not a regular file without blocking, and a file
// over its limit without reading it; a compilation confined to a directory never reads a file
// outside it, whichever way the path leads there.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "kaohe/kaohe.hpp"

namespace fs = std::filesystem;
using Status = kaohe::FileText::Status;

namespace {

// A fresh directory under the temporary directory, removed with everything in it at the end.
struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("kaohe_files_test_" + std::to_string(::getpid()));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string file(const std::string& name, const std::string& text) const {
        const fs::path p = path / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
        return p.string();
    }
};

std::string all_messages(const kaohe::CompileResult& c) {
    std::string out;
    for (const auto& d : c.diagnostics) out += d.code + ": " + d.message + "\n";
    return out;
}

}  // namespace

TEST_CASE("read_file reads a regular file whole, up to and including its limit") {
    TempDir t;
    const std::string p = t.file("a.json", "{\"id\": \"x\"}");
    auto f = kaohe::read_file(p, 100);
    CHECK(f.status == Status::ok);
    CHECK(f.text == "{\"id\": \"x\"}");
    f = kaohe::read_file(p, 11);  // exactly the limit
    CHECK(f.status == Status::ok);
    CHECK(f.text.size() == 11);
    f = kaohe::read_file(p, 10);
    CHECK(f.status == Status::too_large);
    CHECK(f.size == 11);
    CHECK(f.reason == "it is larger than 10 bytes (the limit)");
    f = kaohe::read_file(t.file("empty", ""), 10);
    CHECK(f.status == Status::ok);
    CHECK(f.text.empty());
}

TEST_CASE("read_file refuses a sparse file over the limit without reading it") {
    TempDir t;
    const fs::path p = t.path / "huge.kh";
    std::ofstream(p).close();
    fs::resize_file(p, std::uintmax_t{1} << 40);  // 1 TiB of holes: reading it would never end
    const auto start = std::chrono::steady_clock::now();
    auto f = kaohe::read_file(p.string(), kaohe::kMaxRuleFileBytes);
    CHECK(f.status == Status::too_large);
    CHECK(f.size == (std::uint64_t{1} << 40));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
}

TEST_CASE("read_file names what a file is when it is not a regular file, without blocking") {
    TempDir t;
    const fs::path fifo = t.path / "fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto f = kaohe::read_file(fifo.string(), 100);  // a FIFO with no writer: opening it blocked before
    CHECK(f.status == Status::not_regular);
    CHECK(f.reason == "it is a FIFO (named pipe), not a regular file");
    f = kaohe::read_file(t.path.string(), 100);
    CHECK(f.status == Status::not_regular);
    CHECK(f.reason == "it is a directory, not a regular file");
    f = kaohe::read_file("/dev/zero", 100);
    CHECK(f.status == Status::not_regular);
    CHECK(f.reason == "it is a character device, not a regular file");
    const fs::path sock = t.path / "sock";  // open() fails on a socket (ENXIO): still named
    const int sfd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(sfd >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    REQUIRE(sock.string().size() < sizeof addr.sun_path);
    std::memcpy(addr.sun_path, sock.c_str(), sock.string().size() + 1);
    REQUIRE(::bind(sfd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
    f = kaohe::read_file(sock.string(), 100);
    ::close(sfd);
    CHECK(f.status == Status::not_regular);
    CHECK(f.reason == "it is a socket, not a regular file");
    f = kaohe::read_file((t.path / "nothing").string(), 100);
    CHECK(f.status == Status::not_found);
    CHECK(f.reason == "no such file");
    f = kaohe::read_file((t.path / "fifo" / "below").string(), 100);
    CHECK(f.status == Status::not_found);
}

TEST_CASE("read_file refuses a path holding a NUL byte instead of cutting it there") {
    TempDir t;
    const std::string p = t.file("a.kh", "x");
    auto f = kaohe::read_file(p + std::string(1, '\0') + ".ignored", 100);
    CHECK(f.status == Status::invalid_path);
    CHECK(f.text.empty());
}

TEST_CASE("a rule file or an include that is a FIFO is an error at once") {
    TempDir t;
    const fs::path fifo = t.path / "part.kh";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto c = kaohe::Ruleset::compile_file(fifo.string());
    CHECK_FALSE(c.ruleset);
    CHECK(all_messages(c) == "P003: cannot read rule file " + fifo.string() + ": it is a FIFO (named pipe), not a regular file\n");
    const std::string root = t.file("root.kh", "policy \"t\" year 2022\ninclude \"part.kh\"\n");
    c = kaohe::Ruleset::compile_file(root);
    CHECK(all_messages(c) == "P003: cannot read rule file " + fifo.string() + ": it is a FIFO (named pipe), not a regular file\n");
}

TEST_CASE("an include over the size limit is refused by its size") {
    TempDir t;
    const fs::path big = t.path / "big.kh";
    std::ofstream(big).close();
    fs::resize_file(big, kaohe::kMaxRuleFileBytes + 1);
    const std::string root = t.file("root.kh", "policy \"t\" year 2022\ninclude \"big.kh\"\n");
    auto c = kaohe::Ruleset::compile_file(root);
    CHECK(all_messages(c) == "P004: rule file " + big.string() + " is larger than 8 MiB (the limit)\n");
    fs::resize_file(big, kaohe::kMaxRuleFileBytes);  // exactly the limit: read, and parsed (NUL bytes)
    c = kaohe::Ruleset::compile_file(root);
    CHECK(all_messages(c).find("P004") == std::string::npos);
    CHECK_FALSE(c.ruleset);
}

TEST_CASE("a confined compilation reads no file outside its directory, however it is named") {
    TempDir t;
    const std::string secret = "SECRET-FIRST-LINE";
    t.file("outside/x.kh", secret + "\n");
    t.file("outside/good.kh", "event late \"迟到\"\n");
    const std::string dir = (t.path / "rules").string();
    t.file("rules/seed/part.kh", "event late \"迟到\"\n");
    fs::create_symlink(t.path / "outside" / "x.kh", t.path / "rules" / "seed" / "link.kh");
    fs::create_symlink(t.path / "outside", t.path / "rules" / "seed" / "linkdir");
    kaohe::CompileOptions confined{dir};
    const std::string head = "policy \"t\" year 2022\nsection s \"s\" 10 { clause c \"c\" 10 { deduct 1 each late } }\n";

    SUBCASE("includes inside, also through a symlink that stays inside, compile") {
        fs::create_symlink(t.path / "rules" / "seed" / "part.kh", t.path / "rules" / "seed" / "inside.kh");
        const std::string root = t.file("rules/seed/ok.kh", head + "include \"inside.kh\"\n");
        auto c = kaohe::Ruleset::compile_file(root, confined);
        CHECK(all_messages(c) == "");
        CHECK(c.ruleset);
    }
    for (const char* include : {"/etc/passwd", "../../outside/x.kh", "link.kh", "linkdir/good.kh",
                                "../../outside/no_such_file.kh", "/nonexistent/dir/x.kh"}) {
        CAPTURE(include);
        const std::string root = t.file("rules/seed/root.kh", head + "include \"" + include + "\"\n");
        auto c = kaohe::Ruleset::compile_file(root, confined);
        CHECK_FALSE(c.ruleset);
        const std::string m = all_messages(c);
        CHECK(m == "P003: include \"" + std::string(include) + "\" is outside the rulesets directory " + dir +
                       ": every file of this ruleset must be inside it\n");
        CHECK(kaohe::render(c.diagnostics).find(secret) == std::string::npos);
        CHECK(kaohe::render(c.diagnostics).find("root:") == std::string::npos);  // /etc/passwd's first line
    }
    SUBCASE("the root file itself, through a symlink out") {
        auto c = kaohe::Ruleset::compile_file((t.path / "rules" / "seed" / "link.kh").string(), confined);
        CHECK(all_messages(c) == "P003: rule file " + (t.path / "rules" / "seed" / "link.kh").string() +
                                     " is outside the rulesets directory " + dir +
                                     ": every file of this ruleset must be inside it\n");
    }
    SUBCASE("unconfined, the same include is read (the option is what confines)") {
        const std::string root = t.file("rules/seed/root.kh", head + "include \"../../outside/good.kh\"\n");
        CHECK(kaohe::Ruleset::compile_file(root).ruleset);
        CHECK_FALSE(kaohe::Ruleset::compile_file(root, confined).ruleset);
    }
    SUBCASE("a directory that cannot be resolved confines everything") {
        const std::string root = t.file("rules/seed/ok.kh", head + "include \"part.kh\"\n");
        auto c = kaohe::Ruleset::compile_file(root, kaohe::CompileOptions{(t.path / "missing").string()});
        CHECK_FALSE(c.ruleset);
        CHECK(all_messages(c).find("cannot be resolved") != std::string::npos);
    }
    SUBCASE("a sibling directory sharing the name's prefix is outside") {
        t.file("rules2/x.kh", "event late \"迟到\"\n");
        const std::string root = t.file("rules/seed/root.kh", head + "include \"../../rules2/x.kh\"\n");
        auto c = kaohe::Ruleset::compile_file(root, confined);
        CHECK(all_messages(c).find("is outside the rulesets directory") != std::string::npos);
    }
}
