// libcmark, the CommonMark reference parser (apt: libcmark-dev).
#include <cmark.h>
