#include "task.h"
void broken() { fetch(1) }
