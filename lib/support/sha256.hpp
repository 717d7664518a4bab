// SHA-256, by OpenSSL's libcrypto: the hashes of a result's receipt (docs/records.md, "The
// receipt"), written "sha256:" and 64 lowercase hexadecimal digits.
#pragma once

#include <string>
#include <string_view>

namespace kaohe {

// Hashes bytes given in parts, as if they were given at once.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(std::string_view bytes);
    std::string finish();  // "sha256:…"; the hasher is spent

private:
    void* ctx_;  // EVP_MD_CTX
};

// "sha256:…" of `bytes`.
std::string sha256(std::string_view bytes);

}  // namespace kaohe
