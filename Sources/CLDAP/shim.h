#ifndef ROSTER_CLDAP_SHIM_H
#define ROSTER_CLDAP_SHIM_H
// LDAP_DEPRECATED stays undefined: simple binds go through ldap_sasl_bind_s.
#include <stdio.h>
#include <ldap.h>
#include <lber.h>
#include <ldif.h>

// Message types of search responses. Swift cannot import these macros: they carry a cast.
static const int ROSTER_LDAP_RES_SEARCH_ENTRY = (int)LDAP_RES_SEARCH_ENTRY;
static const int ROSTER_LDAP_RES_SEARCH_REFERENCE = (int)LDAP_RES_SEARCH_REFERENCE;
static const int ROSTER_LDAP_RES_SEARCH_RESULT = (int)LDAP_RES_SEARCH_RESULT;
// Swift cannot import macros built with shifts.
static const int ROSTER_LDAP_OPT_X_TLS_PROTOCOL_TLS1_2 = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2;
#endif
