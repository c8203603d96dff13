#ifndef ROSTER_CCRYPTO_SHIM_H
#define ROSTER_CCRYPTO_SHIM_H
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>
#include <openssl/param_build.h>

// Parameter names and selections are macros Swift imports poorly (or as temporaries): these
// return the library's own static strings, which an OSSL_PARAM may keep pointing at.
static inline const char *roster_param_rsa_n(void) { return OSSL_PKEY_PARAM_RSA_N; }
static inline const char *roster_param_rsa_e(void) { return OSSL_PKEY_PARAM_RSA_E; }
static inline const char *roster_param_group_name(void) { return OSSL_PKEY_PARAM_GROUP_NAME; }
static inline const char *roster_param_public_key(void) { return OSSL_PKEY_PARAM_PUB_KEY; }
static inline int roster_selection_public_key(void) { return EVP_PKEY_PUBLIC_KEY; }
#endif
