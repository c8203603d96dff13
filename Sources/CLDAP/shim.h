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
static const int ROSTER_LDAP_RES_INTERMEDIATE = (int)LDAP_RES_INTERMEDIATE;
// BER tags, for the content synchronisation values (RFC 4533 §2): casts to ber_tag_t.
static const ber_tag_t ROSTER_LBER_ERROR = LBER_ERROR;
static const ber_tag_t ROSTER_LBER_BOOLEAN = LBER_BOOLEAN;
static const ber_tag_t ROSTER_LBER_OCTETSTRING = LBER_OCTETSTRING;
static const ber_tag_t ROSTER_LBER_ENUMERATED = LBER_ENUMERATED;
static const ber_tag_t ROSTER_LBER_SEQUENCE = LBER_SEQUENCE;
static const ber_tag_t ROSTER_LBER_SET = LBER_SET;
static const ber_tag_t ROSTER_LDAP_TAG_SYNC_NEW_COOKIE = LDAP_TAG_SYNC_NEW_COOKIE;
static const ber_tag_t ROSTER_LDAP_TAG_SYNC_REFRESH_DELETE = LDAP_TAG_SYNC_REFRESH_DELETE;
static const ber_tag_t ROSTER_LDAP_TAG_SYNC_REFRESH_PRESENT = LDAP_TAG_SYNC_REFRESH_PRESENT;
static const ber_tag_t ROSTER_LDAP_TAG_SYNC_ID_SET = LDAP_TAG_SYNC_ID_SET;
// Swift cannot import OIDs built by concatenating macros.
static const char *const ROSTER_LDAP_CONTROL_SYNC = LDAP_CONTROL_SYNC;
static const char *const ROSTER_LDAP_CONTROL_SYNC_STATE = LDAP_CONTROL_SYNC_STATE;
static const char *const ROSTER_LDAP_CONTROL_SYNC_DONE = LDAP_CONTROL_SYNC_DONE;
static const char *const ROSTER_LDAP_SYNC_INFO = LDAP_SYNC_INFO;
// Swift cannot import macros built with shifts.
static const int ROSTER_LDAP_OPT_X_TLS_PROTOCOL_TLS1_2 = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2;

// libldap reads a TCP connection one message header and one body at a time: two read() calls
// for every entry of a search. liblber's own read-ahead layer (the one slapd puts on its
// connections) lets one read() take in many entries; libldap asks the buffer before it polls.
// A function here because the layer is a mutable C global, which Swift 6 will not take the
// address of. Call it once the connection is open (after a bind); -1 when it cannot be added.
static inline int roster_ldap_add_read_ahead(LDAP *ld) {
    Sockbuf *sockbuf = NULL;
    if (ldap_get_option(ld, LDAP_OPT_SOCKBUF, &sockbuf) != LDAP_OPT_SUCCESS || sockbuf == NULL) return -1;
    return ber_sockbuf_add_io(sockbuf, &ber_sockbuf_io_readahead, LBER_SBIOD_LEVEL_PROVIDER, NULL);
}
#endif
