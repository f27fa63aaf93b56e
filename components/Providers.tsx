"use client";

import "@rainbow-me/rainbowkit/styles.css";
import { darkTheme, RainbowKitProvider } from "@rainbow-me/rainbowkit";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { WagmiProvider } from "wagmi";
import { appChain, createWagmiConfig } from "@/lib/wagmi/config";
import { Toaster } from "./Toaster";

export function Providers({ children }: { children: ReactNode }) {
  const [config] = useState(createWagmiConfig);
  const [queryClient] = useState(() => new QueryClient());
  return (
    <WagmiProvider config={config}>
      <QueryClientProvider client={queryClient}>
        <RainbowKitProvider
          initialChain={appChain}
          theme={darkTheme({ accentColor: "#f59e0b", accentColorForeground: "#1c1917" })}
        >
          {children}
          <Toaster />
        </RainbowKitProvider>
      </QueryClientProvider>
    </WagmiProvider>
  );
}
