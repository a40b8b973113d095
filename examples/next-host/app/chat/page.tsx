import { Chat } from "./chat";

export default function ChatPage() {
  return (
    <>
      <h1>Chat</h1>
      <p>Each socket asks you to prove it is you by text first: a code to type in, or a YES to send back.</p>
      <Chat />
    </>
  );
}
