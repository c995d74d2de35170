#include <future>
#include <iostream>
#include <thread>

int main() {
    std::promise<void> sent;
    std::future<void> sent_signal = sent.get_future();
    std::thread uplink([&sent] {
        std::cout << "uplink: reading sent" << std::endl;  // endl flushes: abort will not
        sent.set_value();
    });
    sent_signal.wait();  // the uplink thread has done its work
    std::cout << "main: joinable = " << uplink.joinable() << std::endl;
}  // ~thread() on a joinable thread calls std::terminate
