#include <iostream>
#include <mutex>
#include <thread>

std::mutex sensors;
std::mutex uplink;

int main() {
    long moved = 0;  // changed only while both mutexes are held
    std::thread a([&] {
        for (int i = 0; i < 100000; ++i) {
            std::scoped_lock both(sensors, uplink);  // asks for sensors, then uplink
            ++moved;
        }
    });
    std::thread b([&] {
        for (int i = 0; i < 100000; ++i) {
            std::scoped_lock both(uplink, sensors);  // the opposite order
            ++moved;
        }
    });
    a.join();
    b.join();
    std::cout << "moved = " << moved << '\n';
}
