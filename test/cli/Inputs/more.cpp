#include "task.h"
void more_bad() { fetch(3); }
void more_bad_too() { fetch(4), fetch(5); }
