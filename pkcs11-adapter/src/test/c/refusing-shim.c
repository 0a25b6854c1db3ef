/*
 * A PKCS#11 module for bkv's tests that behaves like HSMs bkv has no copy of: it forwards every
 * call to SoftHSM2 (TARGET, set when compiled) except two.
 *   - C_SetAttributeValue with CKA_EXTRACTABLE fails with CKR_ATTRIBUTE_READ_ONLY, as on tokens
 *     that never let a key's extractability change (AWS CloudHSM, YubiHSM 2).
 *   - C_EncryptInit with CKM_AES_GCM ignores the caller's IV and encrypts under one of its own,
 *     as AWS CloudHSM does; it offers no C_EncryptMessage to hand that IV back.
 * C_Initialize tolerates a SoftHSM2 the same process already initialised, and C_Finalize leaves
 * it to that other user. Built by the tests with gcc; never part of bkv itself.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <p11-kit/pkcs11.h>

#ifndef TARGET
#error "compile with -DTARGET=\"/path/to/libsofthsm2.so\""
#endif

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
    shim.C_SetAttributeValue = shim_set_attribute_value;
    shim.C_EncryptInit = shim_encrypt_init;
  }
  *out = &shim;
  return CKR_OK;
}
