#ifndef ROSTER_CLDAP_SHIM_H
#define ROSTER_CLDAP_SHIM_H
// LDAP_DEPRECATED stays undefined: simple binds go through ldap_sasl_bind_s.
#include <stdio.h>
#include <ldap.h>
#include <lber.h>
#include <ldif.h>
#endif
