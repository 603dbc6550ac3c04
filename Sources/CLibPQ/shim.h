#ifndef COPYDESK_CLIBPQ_SHIM_H
#define COPYDESK_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
