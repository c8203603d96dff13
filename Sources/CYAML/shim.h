#ifndef ROSTER_CYAML_SHIM_H
#define ROSTER_CYAML_SHIM_H
#include <yaml.h>
#endif
