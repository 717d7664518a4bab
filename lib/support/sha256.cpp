#include "support/sha256.hpp"

#include <new>
#include <stdexcept>

#include <openssl/evp.h>

namespace kaohe {
namespace {

// Fetched once: an implicit fetch per digest would cost more than hashing a record.
const EVP_MD* sha256_md() {
    static const EVP_MD* md = [] {
        const EVP_MD* m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        if (!m) throw std::runtime_error("libcrypto has no SHA-256");
        return m;
    }();
    return md;
}

std::string hex(const unsigned char* d, unsigned n) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out = "sha256:";
    for (unsigned i = 0; i < n; ++i) {
        out += digits[d[i] >> 4];
        out += digits[d[i] & 15];
    }
    return out;
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || !EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), sha256_md(), nullptr)) {
        EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
        throw std::bad_alloc();
    }
}

Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256::update(std::string_view bytes) {
    if (!EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), bytes.data(), bytes.size())) throw std::bad_alloc();
}

std::string Sha256::finish() {
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (!EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), d, &n)) throw std::bad_alloc();
    return hex(d, n);
}

std::string sha256(std::string_view bytes) {
    // One context per thread, reused: a new one per call costs about as much as hashing a record.
    struct Context {
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        ~Context() { EVP_MD_CTX_free(ctx); }
    };
    thread_local Context c;
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (!c.ctx || !EVP_DigestInit_ex(c.ctx, sha256_md(), nullptr) || !EVP_DigestUpdate(c.ctx, bytes.data(), bytes.size()) ||
        !EVP_DigestFinal_ex(c.ctx, d, &n))
        throw std::bad_alloc();
    return hex(d, n);
}

}  // namespace kaohe
