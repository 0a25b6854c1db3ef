/*
 * A PKCS#11 module for bkv's tests that behaves like HSMs bkv has no copy of: it forwards every
 * call to SoftHSM2 (TARGET, set when compiled) except those REFUSALS (a bit mask, set when
 * compiled) names:
 *   - 1: C_SetAttributeValue with CKA_EXTRACTABLE fails with CKR_ATTRIBUTE_READ_ONLY, as on
 *     tokens that never let a key's extractability change (AWS CloudHSM, YubiHSM 2).
 *   - 2: C_EncryptInit with CKM_AES_GCM ignores the caller's IV and encrypts under one of its
 *     own, as AWS CloudHSM does; it offers no C_EncryptMessage to hand that IV back.
 *   - 4: C_DeriveKey makes every derived secret CKA_SENSITIVE=true whatever the template says,
 *     so reading its CKA_VALUE fails with CKR_ATTRIBUTE_SENSITIVE (as Luna Cloud HSM requires
 *     of derived keys); C_WrapKey still wraps it when the template made it extractable.
 *   - 8: C_DeriveKey also makes every derived secret CKA_EXTRACTABLE=false, so C_WrapKey refuses
 *     it too (CKR_KEY_UNEXTRACTABLE): no ECDH value leaves the token at all.
 * With DERIVE_LOG (a path, set when compiled) every C_DeriveKey appends one byte to that file,
 * so a test can count derivations.
 * C_Initialize tolerates a SoftHSM2 the same process already initialised, and C_Finalize leaves
 * it to that other user. Built by the tests with gcc; never part of bkv itself.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <p11-kit/pkcs11.h>

#ifndef TARGET
#error "compile with -DTARGET=\"/path/to/libsofthsm2.so\""
#endif

#ifndef REFUSALS
#define REFUSALS 3
#endif

#define REFUSE_SET_EXTRACTABLE 1u
#define IGNORE_GCM_IV 2u
#define DERIVED_SENSITIVE 4u
#define DERIVED_UNEXTRACTABLE 8u

static const unsigned refusals = REFUSALS;
static CK_FUNCTION_LIST_PTR real;
static CK_FUNCTION_LIST shim;

static CK_RV shim_initialize(CK_VOID_PTR args) {
  CK_RV rv = real->C_Initialize(args);
  return rv == CKR_CRYPTOKI_ALREADY_INITIALIZED ? CKR_OK : rv;
}

static CK_RV shim_finalize(CK_VOID_PTR reserved) {
  (void) reserved;
  return CKR_OK;
}

static CK_RV shim_set_attribute_value(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o,
                                      CK_ATTRIBUTE_PTR t, CK_ULONG n) {
  for (CK_ULONG i = 0; i < n; i++) {
    if (t[i].type == CKA_EXTRACTABLE) {
      return CKR_ATTRIBUTE_READ_ONLY;
    }
  }
  return real->C_SetAttributeValue(s, o, t, n);
}

static CK_RV shim_encrypt_init(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k) {
  if (m != NULL && m->mechanism == CKM_AES_GCM && m->pParameter != NULL
      && m->ulParameterLen == sizeof(CK_GCM_PARAMS)) {
    CK_GCM_PARAMS p = *(CK_GCM_PARAMS *) m->pParameter;
    unsigned char iv[12];
    CK_RV rv = real->C_GenerateRandom(s, iv, sizeof iv);
    if (rv != CKR_OK) {
      return rv;
    }
    p.pIv = iv;
    p.ulIvLen = sizeof iv;
    p.ulIvBits = 96;
    CK_MECHANISM own = {CKM_AES_GCM, &p, sizeof p};
    return real->C_EncryptInit(s, &own, k);
  }
  return real->C_EncryptInit(s, m, k);
}

static void log_derive(void) {
#ifdef DERIVE_LOG
  int fd = open(DERIVE_LOG, O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (fd >= 0) {
    if (write(fd, "d", 1) != 1) {
      /* the count is only for tests; they fail on a wrong count */
    }
    close(fd);
  }
#endif
}

/* The template with CKA_SENSITIVE (and with 8, CKA_EXTRACTABLE) replaced or added. */
static CK_RV shim_derive_key(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE base,
                             CK_ATTRIBUTE_PTR t, CK_ULONG n, CK_OBJECT_HANDLE_PTR out) {
  log_derive();
  if (!(refusals & (DERIVED_SENSITIVE | DERIVED_UNEXTRACTABLE)) || n > 64) {
    return real->C_DeriveKey(s, m, base, t, n, out);
  }
  static CK_BBOOL yes = CK_TRUE;
  static CK_BBOOL no = CK_FALSE;
  CK_ATTRIBUTE forced[66];
  CK_ULONG k = 0;
  for (CK_ULONG i = 0; i < n; i++) {
    if (t[i].type != CKA_SENSITIVE && t[i].type != CKA_EXTRACTABLE) {
      forced[k++] = t[i];
    }
  }
  if (refusals & DERIVED_SENSITIVE) {
    forced[k++] = (CK_ATTRIBUTE) {CKA_SENSITIVE, &yes, sizeof yes};
  }
  if (refusals & DERIVED_UNEXTRACTABLE) {
    forced[k++] = (CK_ATTRIBUTE) {CKA_EXTRACTABLE, &no, sizeof no};
  } else {
    for (CK_ULONG i = 0; i < n; i++) {
      if (t[i].type == CKA_EXTRACTABLE) {
        forced[k++] = t[i];
      }
    }
  }
  return real->C_DeriveKey(s, m, base, forced, k, out);
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR out) {
  if (out == NULL) {
    return CKR_ARGUMENTS_BAD;
  }
  if (real == NULL) {
    void *lib = dlopen(TARGET, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
      return CKR_GENERAL_ERROR;
    }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList) dlsym(lib, "C_GetFunctionList");
    if (get == NULL || get(&real) != CKR_OK) {
      return CKR_GENERAL_ERROR;
    }
    memcpy(&shim, real, sizeof shim);
    shim.C_GetFunctionList = C_GetFunctionList;
    shim.C_Initialize = shim_initialize;
    shim.C_Finalize = shim_finalize;
    if (refusals & REFUSE_SET_EXTRACTABLE) {
      shim.C_SetAttributeValue = shim_set_attribute_value;
    }
    if (refusals & IGNORE_GCM_IV) {
      shim.C_EncryptInit = shim_encrypt_init;
    }
    shim.C_DeriveKey = shim_derive_key;
  }
  *out = &shim;
  return CKR_OK;
}
