// Makes every Moot contract known to the generated descriptor pool of the binary that calls it.
//
// Generated code lives in static libraries; a linker keeps an object file only when something
// refers to it, so a program that handles methods generically (the gateway, moot-seed, the load
// generator) would otherwise find no descriptor for a service it never names. Calling
// LinkAllContracts() refers to each one. A new .proto file must be added to all_contracts.cc;
// tools/seed/seed_test.cc fails until it is.
#pragma once

namespace moot::proto {

// Returns the number of services registered (for tests); cheap, idempotent.
int LinkAllContracts();

}  // namespace moot::proto
