import * as $protobuf from "protobufjs";
import Long = require("long");
/** Namespace parley. */
export namespace parley {

    /** Namespace v1. */
    namespace v1 {

        /** Properties of a Frame. */
        interface IFrame {

            /** Frame msgR */
            msgR?: (parley.v1.IMsgRequest|null);

            /** Frame msgA */
            msgA?: (parley.v1.IMsgAccepted|null);

            /** Frame msgN */
            msgN?: (parley.v1.IMsgNotify|null);

            /** Frame ackR */
            ackR?: (parley.v1.IAckRequest|null);

            /** Frame ackA */
            ackA?: (parley.v1.IAckAccepted|null);

            /** Frame ackN */
            ackN?: (parley.v1.IAckNotify|null);

            /** Frame offlineR */
            offlineR?: (parley.v1.IOfflineRequest|null);

            /** Frame offlineA */
            offlineA?: (parley.v1.IOfflineAnswer|null);

            /** Frame offlineackR */
            offlineackR?: (parley.v1.IOfflineAckRequest|null);

            /** Frame ping */
            ping?: (parley.v1.IPing|null);

            /** Frame pong */
            pong?: (parley.v1.IPong|null);

            /** Frame welcome */
            welcome?: (parley.v1.IWelcome|null);

            /** Frame error */
            error?: (parley.v1.IError|null);

            /** Frame groupR */
            groupR?: (parley.v1.IGroupRequest|null);

            /** Frame groupA */
            groupA?: (parley.v1.IGroupAnswer|null);

            /** Frame syncR */
            syncR?: (parley.v1.ISyncRequest|null);

            /** Frame syncA */
            syncA?: (parley.v1.ISyncAnswer|null);

            /** Frame conversationsR */
            conversationsR?: (parley.v1.IConversationsRequest|null);

            /** Frame conversationsA */
            conversationsA?: (parley.v1.IConversationsAnswer|null);

            /** Frame resyncN */
            resyncN?: (parley.v1.IResync|null);
        }

        /** Represents a Frame. */
        class Frame implements IFrame {

            /**
             * Constructs a new Frame.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IFrame);

            /** Frame msgR. */
            public msgR?: (parley.v1.IMsgRequest|null);

            /** Frame msgA. */
            public msgA?: (parley.v1.IMsgAccepted|null);

            /** Frame msgN. */
            public msgN?: (parley.v1.IMsgNotify|null);

            /** Frame ackR. */
            public ackR?: (parley.v1.IAckRequest|null);

            /** Frame ackA. */
            public ackA?: (parley.v1.IAckAccepted|null);

            /** Frame ackN. */
            public ackN?: (parley.v1.IAckNotify|null);

            /** Frame offlineR. */
            public offlineR?: (parley.v1.IOfflineRequest|null);

            /** Frame offlineA. */
            public offlineA?: (parley.v1.IOfflineAnswer|null);

            /** Frame offlineackR. */
            public offlineackR?: (parley.v1.IOfflineAckRequest|null);

            /** Frame ping. */
            public ping?: (parley.v1.IPing|null);

            /** Frame pong. */
            public pong?: (parley.v1.IPong|null);

            /** Frame welcome. */
            public welcome?: (parley.v1.IWelcome|null);

            /** Frame error. */
            public error?: (parley.v1.IError|null);

            /** Frame groupR. */
            public groupR?: (parley.v1.IGroupRequest|null);

            /** Frame groupA. */
            public groupA?: (parley.v1.IGroupAnswer|null);

            /** Frame syncR. */
            public syncR?: (parley.v1.ISyncRequest|null);

            /** Frame syncA. */
            public syncA?: (parley.v1.ISyncAnswer|null);

            /** Frame conversationsR. */
            public conversationsR?: (parley.v1.IConversationsRequest|null);

            /** Frame conversationsA. */
            public conversationsA?: (parley.v1.IConversationsAnswer|null);

            /** Frame resyncN. */
            public resyncN?: (parley.v1.IResync|null);

            /** Frame packet. */
            public packet?: ("msgR"|"msgA"|"msgN"|"ackR"|"ackA"|"ackN"|"offlineR"|"offlineA"|"offlineackR"|"ping"|"pong"|"welcome"|"error"|"groupR"|"groupA"|"syncR"|"syncA"|"conversationsR"|"conversationsA"|"resyncN");

            /**
             * Creates a new Frame instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Frame instance
             */
            public static create(properties?: parley.v1.IFrame): parley.v1.Frame;

            /**
             * Encodes the specified Frame message. Does not implicitly {@link parley.v1.Frame.verify|verify} messages.
             * @param message Frame message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IFrame, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Frame message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Frame
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.Frame;

            /**
             * Gets the default type url for Frame
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a Position. */
        interface IPosition {

            /** Position epoch */
            epoch?: (string|null);

            /** Position seq */
            seq?: (number|null);
        }

        /** Represents a Position. */
        class Position implements IPosition {

            /**
             * Constructs a new Position.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IPosition);

            /** Position epoch. */
            public epoch: string;

            /** Position seq. */
            public seq: number;

            /**
             * Creates a new Position instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Position instance
             */
            public static create(properties?: parley.v1.IPosition): parley.v1.Position;

            /**
             * Encodes the specified Position message. Does not implicitly {@link parley.v1.Position.verify|verify} messages.
             * @param message Position message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IPosition, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Position message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Position
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.Position;

            /**
             * Gets the default type url for Position
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a MsgRequest. */
        interface IMsgRequest {

            /** MsgRequest msgId */
            msgId?: (string|null);

            /** MsgRequest toUser */
            toUser?: (string|null);

            /** MsgRequest payload */
            payload?: (Uint8Array|null);

            /** MsgRequest clientSeq */
            clientSeq?: (number|null);

            /** MsgRequest fromUser */
            fromUser?: (string|null);

            /** MsgRequest conversation */
            conversation?: (string|null);
        }

        /** Represents a MsgRequest. */
        class MsgRequest implements IMsgRequest {

            /**
             * Constructs a new MsgRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IMsgRequest);

            /** MsgRequest msgId. */
            public msgId: string;

            /** MsgRequest toUser. */
            public toUser: string;

            /** MsgRequest payload. */
            public payload: Uint8Array;

            /** MsgRequest clientSeq. */
            public clientSeq: number;

            /** MsgRequest fromUser. */
            public fromUser: string;

            /** MsgRequest conversation. */
            public conversation: string;

            /**
             * Creates a new MsgRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns MsgRequest instance
             */
            public static create(properties?: parley.v1.IMsgRequest): parley.v1.MsgRequest;

            /**
             * Encodes the specified MsgRequest message. Does not implicitly {@link parley.v1.MsgRequest.verify|verify} messages.
             * @param message MsgRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IMsgRequest, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a MsgRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns MsgRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.MsgRequest;

            /**
             * Gets the default type url for MsgRequest
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a MsgAccepted. */
        interface IMsgAccepted {

            /** MsgAccepted msgId */
            msgId?: (string|null);

            /** MsgAccepted conversation */
            conversation?: (string|null);

            /** MsgAccepted position */
            position?: (parley.v1.IPosition|null);

            /** MsgAccepted serverTimeMs */
            serverTimeMs?: (number|null);
        }

        /** Represents a MsgAccepted. */
        class MsgAccepted implements IMsgAccepted {

            /**
             * Constructs a new MsgAccepted.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IMsgAccepted);

            /** MsgAccepted msgId. */
            public msgId: string;

            /** MsgAccepted conversation. */
            public conversation: string;

            /** MsgAccepted position. */
            public position?: (parley.v1.IPosition|null);

            /** MsgAccepted serverTimeMs. */
            public serverTimeMs: number;

            /**
             * Creates a new MsgAccepted instance using the specified properties.
             * @param [properties] Properties to set
             * @returns MsgAccepted instance
             */
            public static create(properties?: parley.v1.IMsgAccepted): parley.v1.MsgAccepted;

            /**
             * Encodes the specified MsgAccepted message. Does not implicitly {@link parley.v1.MsgAccepted.verify|verify} messages.
             * @param message MsgAccepted message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IMsgAccepted, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a MsgAccepted message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns MsgAccepted
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.MsgAccepted;

            /**
             * Gets the default type url for MsgAccepted
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a MsgNotify. */
        interface IMsgNotify {

            /** MsgNotify conversation */
            conversation?: (string|null);

            /** MsgNotify position */
            position?: (parley.v1.IPosition|null);

            /** MsgNotify msgId */
            msgId?: (string|null);

            /** MsgNotify fromUser */
            fromUser?: (string|null);

            /** MsgNotify payload */
            payload?: (Uint8Array|null);

            /** MsgNotify serverTimeMs */
            serverTimeMs?: (number|null);

            /** MsgNotify clientSeq */
            clientSeq?: (number|null);
        }

        /** Represents a MsgNotify. */
        class MsgNotify implements IMsgNotify {

            /**
             * Constructs a new MsgNotify.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IMsgNotify);

            /** MsgNotify conversation. */
            public conversation: string;

            /** MsgNotify position. */
            public position?: (parley.v1.IPosition|null);

            /** MsgNotify msgId. */
            public msgId: string;

            /** MsgNotify fromUser. */
            public fromUser: string;

            /** MsgNotify payload. */
            public payload: Uint8Array;

            /** MsgNotify serverTimeMs. */
            public serverTimeMs: number;

            /** MsgNotify clientSeq. */
            public clientSeq: number;

            /**
             * Creates a new MsgNotify instance using the specified properties.
             * @param [properties] Properties to set
             * @returns MsgNotify instance
             */
            public static create(properties?: parley.v1.IMsgNotify): parley.v1.MsgNotify;

            /**
             * Encodes the specified MsgNotify message. Does not implicitly {@link parley.v1.MsgNotify.verify|verify} messages.
             * @param message MsgNotify message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IMsgNotify, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a MsgNotify message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns MsgNotify
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.MsgNotify;

            /**
             * Gets the default type url for MsgNotify
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of an AckRequest. */
        interface IAckRequest {

            /** AckRequest conversation */
            conversation?: (string|null);

            /** AckRequest position */
            position?: (parley.v1.IPosition|null);
        }

        /** Represents an AckRequest. */
        class AckRequest implements IAckRequest {

            /**
             * Constructs a new AckRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IAckRequest);

            /** AckRequest conversation. */
            public conversation: string;

            /** AckRequest position. */
            public position?: (parley.v1.IPosition|null);

            /**
             * Creates a new AckRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns AckRequest instance
             */
            public static create(properties?: parley.v1.IAckRequest): parley.v1.AckRequest;

            /**
             * Encodes the specified AckRequest message. Does not implicitly {@link parley.v1.AckRequest.verify|verify} messages.
             * @param message AckRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IAckRequest, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an AckRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns AckRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.AckRequest;

            /**
             * Gets the default type url for AckRequest
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of an AckAccepted. */
        interface IAckAccepted {

            /** AckAccepted conversation */
            conversation?: (string|null);

            /** AckAccepted position */
            position?: (parley.v1.IPosition|null);
        }

        /** Represents an AckAccepted. */
        class AckAccepted implements IAckAccepted {

            /**
             * Constructs a new AckAccepted.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IAckAccepted);

            /** AckAccepted conversation. */
            public conversation: string;

            /** AckAccepted position. */
            public position?: (parley.v1.IPosition|null);

            /**
             * Creates a new AckAccepted instance using the specified properties.
             * @param [properties] Properties to set
             * @returns AckAccepted instance
             */
            public static create(properties?: parley.v1.IAckAccepted): parley.v1.AckAccepted;

            /**
             * Encodes the specified AckAccepted message. Does not implicitly {@link parley.v1.AckAccepted.verify|verify} messages.
             * @param message AckAccepted message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IAckAccepted, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an AckAccepted message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns AckAccepted
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.AckAccepted;

            /**
             * Gets the default type url for AckAccepted
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** AckStatus enum. */
        enum AckStatus {
            ACK_STATUS_UNSPECIFIED = 0,
            ACK_STATUS_DELIVERED = 1,
            ACK_STATUS_STORED_OFFLINE = 2,
            ACK_STATUS_QUEUED = 3
        }

        /** Properties of an AckNotify. */
        interface IAckNotify {

            /** AckNotify conversation */
            conversation?: (string|null);

            /** AckNotify position */
            position?: (parley.v1.IPosition|null);

            /** AckNotify msgId */
            msgId?: (string|null);

            /** AckNotify toUser */
            toUser?: (string|null);

            /** AckNotify status */
            status?: (parley.v1.AckStatus|null);
        }

        /** Represents an AckNotify. */
        class AckNotify implements IAckNotify {

            /**
             * Constructs a new AckNotify.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IAckNotify);

            /** AckNotify conversation. */
            public conversation: string;

            /** AckNotify position. */
            public position?: (parley.v1.IPosition|null);

            /** AckNotify msgId. */
            public msgId: string;

            /** AckNotify toUser. */
            public toUser: string;

            /** AckNotify status. */
            public status: parley.v1.AckStatus;

            /**
             * Creates a new AckNotify instance using the specified properties.
             * @param [properties] Properties to set
             * @returns AckNotify instance
             */
            public static create(properties?: parley.v1.IAckNotify): parley.v1.AckNotify;

            /**
             * Encodes the specified AckNotify message. Does not implicitly {@link parley.v1.AckNotify.verify|verify} messages.
             * @param message AckNotify message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IAckNotify, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an AckNotify message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns AckNotify
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.AckNotify;

            /**
             * Gets the default type url for AckNotify
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of an OfflineRequest. */
        interface IOfflineRequest {

            /** OfflineRequest limit */
            limit?: (number|null);

            /** OfflineRequest cursor */
            cursor?: (string|null);
        }

        /** Represents an OfflineRequest. */
        class OfflineRequest implements IOfflineRequest {

            /**
             * Constructs a new OfflineRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IOfflineRequest);

            /** OfflineRequest limit. */
            public limit: number;

            /** OfflineRequest cursor. */
            public cursor: string;

            /**
             * Creates a new OfflineRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns OfflineRequest instance
             */
            public static create(properties?: parley.v1.IOfflineRequest): parley.v1.OfflineRequest;

            /**
             * Encodes the specified OfflineRequest message. Does not implicitly {@link parley.v1.OfflineRequest.verify|verify} messages.
             * @param message OfflineRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IOfflineRequest, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an OfflineRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns OfflineRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.OfflineRequest;

            /**
             * Gets the default type url for OfflineRequest
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of an OfflineAnswer. */
        interface IOfflineAnswer {

            /** OfflineAnswer messages */
            messages?: (parley.v1.IMsgNotify[]|null);

            /** OfflineAnswer hasMore */
            hasMore?: (boolean|null);

            /** OfflineAnswer nextCursor */
            nextCursor?: (string|null);
        }

        /** Represents an OfflineAnswer. */
        class OfflineAnswer implements IOfflineAnswer {

            /**
             * Constructs a new OfflineAnswer.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IOfflineAnswer);

            /** OfflineAnswer messages. */
            public messages: parley.v1.IMsgNotify[];

            /** OfflineAnswer hasMore. */
            public hasMore: boolean;

            /** OfflineAnswer nextCursor. */
            public nextCursor: string;

            /**
             * Creates a new OfflineAnswer instance using the specified properties.
             * @param [properties] Properties to set
             * @returns OfflineAnswer instance
             */
            public static create(properties?: parley.v1.IOfflineAnswer): parley.v1.OfflineAnswer;

            /**
             * Encodes the specified OfflineAnswer message. Does not implicitly {@link parley.v1.OfflineAnswer.verify|verify} messages.
             * @param message OfflineAnswer message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IOfflineAnswer, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an OfflineAnswer message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns OfflineAnswer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.OfflineAnswer;

            /**
             * Gets the default type url for OfflineAnswer
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of an InboxRef. */
        interface IInboxRef {

            /** InboxRef conversation */
            conversation?: (string|null);

            /** InboxRef position */
            position?: (parley.v1.IPosition|null);
        }

        /** Represents an InboxRef. */
        class InboxRef implements IInboxRef {

            /**
             * Constructs a new InboxRef.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IInboxRef);

            /** InboxRef conversation. */
            public conversation: string;

            /** InboxRef position. */
            public position?: (parley.v1.IPosition|null);

            /**
             * Creates a new InboxRef instance using the specified properties.
             * @param [properties] Properties to set
             * @returns InboxRef instance
             */
            public static create(properties?: parley.v1.IInboxRef): parley.v1.InboxRef;

            /**
             * Encodes the specified InboxRef message. Does not implicitly {@link parley.v1.InboxRef.verify|verify} messages.
             * @param message InboxRef message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IInboxRef, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an InboxRef message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns InboxRef
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.InboxRef;

            /**
             * Gets the default type url for InboxRef
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of an OfflineAckRequest. */
        interface IOfflineAckRequest {

            /** OfflineAckRequest refs */
            refs?: (parley.v1.IInboxRef[]|null);
        }

        /** Represents an OfflineAckRequest. */
        class OfflineAckRequest implements IOfflineAckRequest {

            /**
             * Constructs a new OfflineAckRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IOfflineAckRequest);

            /** OfflineAckRequest refs. */
            public refs: parley.v1.IInboxRef[];

            /**
             * Creates a new OfflineAckRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns OfflineAckRequest instance
             */
            public static create(properties?: parley.v1.IOfflineAckRequest): parley.v1.OfflineAckRequest;

            /**
             * Encodes the specified OfflineAckRequest message. Does not implicitly {@link parley.v1.OfflineAckRequest.verify|verify} messages.
             * @param message OfflineAckRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IOfflineAckRequest, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an OfflineAckRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns OfflineAckRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.OfflineAckRequest;

            /**
             * Gets the default type url for OfflineAckRequest
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a Ping. */
        interface IPing {

            /** Ping nonce */
            nonce?: (number|null);
        }

        /** Represents a Ping. */
        class Ping implements IPing {

            /**
             * Constructs a new Ping.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IPing);

            /** Ping nonce. */
            public nonce: number;

            /**
             * Creates a new Ping instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Ping instance
             */
            public static create(properties?: parley.v1.IPing): parley.v1.Ping;

            /**
             * Encodes the specified Ping message. Does not implicitly {@link parley.v1.Ping.verify|verify} messages.
             * @param message Ping message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IPing, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Ping message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Ping
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.Ping;

            /**
             * Gets the default type url for Ping
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a Pong. */
        interface IPong {

            /** Pong nonce */
            nonce?: (number|null);

            /** Pong serverTimeMs */
            serverTimeMs?: (number|null);
        }

        /** Represents a Pong. */
        class Pong implements IPong {

            /**
             * Constructs a new Pong.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IPong);

            /** Pong nonce. */
            public nonce: number;

            /** Pong serverTimeMs. */
            public serverTimeMs: number;

            /**
             * Creates a new Pong instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Pong instance
             */
            public static create(properties?: parley.v1.IPong): parley.v1.Pong;

            /**
             * Encodes the specified Pong message. Does not implicitly {@link parley.v1.Pong.verify|verify} messages.
             * @param message Pong message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IPong, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Pong message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Pong
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.Pong;

            /**
             * Gets the default type url for Pong
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a Welcome. */
        interface IWelcome {

            /** Welcome userId */
            userId?: (string|null);

            /** Welcome connectionId */
            connectionId?: (string|null);

            /** Welcome heartbeatIntervalMs */
            heartbeatIntervalMs?: (number|null);

            /** Welcome maxFrameBytes */
            maxFrameBytes?: (number|null);

            /** Welcome maxPayloadBytes */
            maxPayloadBytes?: (number|null);

            /** Welcome maxOfflinePage */
            maxOfflinePage?: (number|null);

            /** Welcome serverVersion */
            serverVersion?: (string|null);

            /** Welcome deviceId */
            deviceId?: (string|null);
        }

        /** Represents a Welcome. */
        class Welcome implements IWelcome {

            /**
             * Constructs a new Welcome.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IWelcome);

            /** Welcome userId. */
            public userId: string;

            /** Welcome connectionId. */
            public connectionId: string;

            /** Welcome heartbeatIntervalMs. */
            public heartbeatIntervalMs: number;

            /** Welcome maxFrameBytes. */
            public maxFrameBytes: number;

            /** Welcome maxPayloadBytes. */
            public maxPayloadBytes: number;

            /** Welcome maxOfflinePage. */
            public maxOfflinePage: number;

            /** Welcome serverVersion. */
            public serverVersion: string;

            /** Welcome deviceId. */
            public deviceId: string;

            /**
             * Creates a new Welcome instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Welcome instance
             */
            public static create(properties?: parley.v1.IWelcome): parley.v1.Welcome;

            /**
             * Encodes the specified Welcome message. Does not implicitly {@link parley.v1.Welcome.verify|verify} messages.
             * @param message Welcome message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IWelcome, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Welcome message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Welcome
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.Welcome;

            /**
             * Gets the default type url for Welcome
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of an Error. */
        interface IError {

            /** Error code */
            code?: (number|null);

            /** Error message */
            message?: (string|null);

            /** Error retryable */
            retryable?: (boolean|null);

            /** Error msgId */
            msgId?: (string|null);

            /** Error expectedClientSeq */
            expectedClientSeq?: (number|null);
        }

        /** Represents an Error. */
        class Error implements IError {

            /**
             * Constructs a new Error.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IError);

            /** Error code. */
            public code: number;

            /** Error message. */
            public message: string;

            /** Error retryable. */
            public retryable: boolean;

            /** Error msgId. */
            public msgId: string;

            /** Error expectedClientSeq. */
            public expectedClientSeq: number;

            /**
             * Creates a new Error instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Error instance
             */
            public static create(properties?: parley.v1.IError): parley.v1.Error;

            /**
             * Encodes the specified Error message. Does not implicitly {@link parley.v1.Error.verify|verify} messages.
             * @param message Error message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IError, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Error message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Error
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.Error;

            /**
             * Gets the default type url for Error
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a Resync. */
        interface IResync {

            /** Resync reason */
            reason?: (string|null);
        }

        /** Represents a Resync. */
        class Resync implements IResync {

            /**
             * Constructs a new Resync.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IResync);

            /** Resync reason. */
            public reason: string;

            /**
             * Creates a new Resync instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Resync instance
             */
            public static create(properties?: parley.v1.IResync): parley.v1.Resync;

            /**
             * Encodes the specified Resync message. Does not implicitly {@link parley.v1.Resync.verify|verify} messages.
             * @param message Resync message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IResync, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Resync message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Resync
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.Resync;

            /**
             * Gets the default type url for Resync
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a GroupRequest. */
        interface IGroupRequest {

            /** GroupRequest requestId */
            requestId?: (string|null);

            /** GroupRequest create */
            create?: (parley.v1.IGroupCreate|null);

            /** GroupRequest change */
            change?: (parley.v1.IGroupChange|null);

            /** GroupRequest list */
            list?: (parley.v1.IGroupList|null);
        }

        /** Represents a GroupRequest. */
        class GroupRequest implements IGroupRequest {

            /**
             * Constructs a new GroupRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IGroupRequest);

            /** GroupRequest requestId. */
            public requestId: string;

            /** GroupRequest create. */
            public create?: (parley.v1.IGroupCreate|null);

            /** GroupRequest change. */
            public change?: (parley.v1.IGroupChange|null);

            /** GroupRequest list. */
            public list?: (parley.v1.IGroupList|null);

            /** GroupRequest action. */
            public action?: ("create"|"change"|"list");

            /**
             * Creates a new GroupRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns GroupRequest instance
             */
            public static create(properties?: parley.v1.IGroupRequest): parley.v1.GroupRequest;

            /**
             * Encodes the specified GroupRequest message. Does not implicitly {@link parley.v1.GroupRequest.verify|verify} messages.
             * @param message GroupRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IGroupRequest, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a GroupRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns GroupRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.GroupRequest;

            /**
             * Gets the default type url for GroupRequest
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a GroupCreate. */
        interface IGroupCreate {

            /** GroupCreate groupId */
            groupId?: (string|null);

            /** GroupCreate members */
            members?: (string[]|null);
        }

        /** Represents a GroupCreate. */
        class GroupCreate implements IGroupCreate {

            /**
             * Constructs a new GroupCreate.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IGroupCreate);

            /** GroupCreate groupId. */
            public groupId: string;

            /** GroupCreate members. */
            public members: string[];

            /**
             * Creates a new GroupCreate instance using the specified properties.
             * @param [properties] Properties to set
             * @returns GroupCreate instance
             */
            public static create(properties?: parley.v1.IGroupCreate): parley.v1.GroupCreate;

            /**
             * Encodes the specified GroupCreate message. Does not implicitly {@link parley.v1.GroupCreate.verify|verify} messages.
             * @param message GroupCreate message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IGroupCreate, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a GroupCreate message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns GroupCreate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.GroupCreate;

            /**
             * Gets the default type url for GroupCreate
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a GroupChange. */
        interface IGroupChange {

            /** GroupChange conversation */
            conversation?: (string|null);

            /** GroupChange add */
            add?: (string[]|null);

            /** GroupChange remove */
            remove?: (string[]|null);
        }

        /** Represents a GroupChange. */
        class GroupChange implements IGroupChange {

            /**
             * Constructs a new GroupChange.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IGroupChange);

            /** GroupChange conversation. */
            public conversation: string;

            /** GroupChange add. */
            public add: string[];

            /** GroupChange remove. */
            public remove: string[];

            /**
             * Creates a new GroupChange instance using the specified properties.
             * @param [properties] Properties to set
             * @returns GroupChange instance
             */
            public static create(properties?: parley.v1.IGroupChange): parley.v1.GroupChange;

            /**
             * Encodes the specified GroupChange message. Does not implicitly {@link parley.v1.GroupChange.verify|verify} messages.
             * @param message GroupChange message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IGroupChange, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a GroupChange message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns GroupChange
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.GroupChange;

            /**
             * Gets the default type url for GroupChange
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a GroupList. */
        interface IGroupList {

            /** GroupList conversation */
            conversation?: (string|null);
        }

        /** Represents a GroupList. */
        class GroupList implements IGroupList {

            /**
             * Constructs a new GroupList.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IGroupList);

            /** GroupList conversation. */
            public conversation: string;

            /**
             * Creates a new GroupList instance using the specified properties.
             * @param [properties] Properties to set
             * @returns GroupList instance
             */
            public static create(properties?: parley.v1.IGroupList): parley.v1.GroupList;

            /**
             * Encodes the specified GroupList message. Does not implicitly {@link parley.v1.GroupList.verify|verify} messages.
             * @param message GroupList message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IGroupList, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a GroupList message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns GroupList
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.GroupList;

            /**
             * Gets the default type url for GroupList
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a GroupAnswer. */
        interface IGroupAnswer {

            /** GroupAnswer requestId */
            requestId?: (string|null);

            /** GroupAnswer conversation */
            conversation?: (string|null);

            /** GroupAnswer members */
            members?: (string[]|null);
        }

        /** Represents a GroupAnswer. */
        class GroupAnswer implements IGroupAnswer {

            /**
             * Constructs a new GroupAnswer.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IGroupAnswer);

            /** GroupAnswer requestId. */
            public requestId: string;

            /** GroupAnswer conversation. */
            public conversation: string;

            /** GroupAnswer members. */
            public members: string[];

            /**
             * Creates a new GroupAnswer instance using the specified properties.
             * @param [properties] Properties to set
             * @returns GroupAnswer instance
             */
            public static create(properties?: parley.v1.IGroupAnswer): parley.v1.GroupAnswer;

            /**
             * Encodes the specified GroupAnswer message. Does not implicitly {@link parley.v1.GroupAnswer.verify|verify} messages.
             * @param message GroupAnswer message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IGroupAnswer, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a GroupAnswer message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns GroupAnswer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.GroupAnswer;

            /**
             * Gets the default type url for GroupAnswer
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a SyncRequest. */
        interface ISyncRequest {

            /** SyncRequest requestId */
            requestId?: (string|null);

            /** SyncRequest conversation */
            conversation?: (string|null);

            /** SyncRequest after */
            after?: (parley.v1.IPosition|null);

            /** SyncRequest limit */
            limit?: (number|null);
        }

        /** Represents a SyncRequest. */
        class SyncRequest implements ISyncRequest {

            /**
             * Constructs a new SyncRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.ISyncRequest);

            /** SyncRequest requestId. */
            public requestId: string;

            /** SyncRequest conversation. */
            public conversation: string;

            /** SyncRequest after. */
            public after?: (parley.v1.IPosition|null);

            /** SyncRequest limit. */
            public limit: number;

            /**
             * Creates a new SyncRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns SyncRequest instance
             */
            public static create(properties?: parley.v1.ISyncRequest): parley.v1.SyncRequest;

            /**
             * Encodes the specified SyncRequest message. Does not implicitly {@link parley.v1.SyncRequest.verify|verify} messages.
             * @param message SyncRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.ISyncRequest, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SyncRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns SyncRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.SyncRequest;

            /**
             * Gets the default type url for SyncRequest
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a SyncAnswer. */
        interface ISyncAnswer {

            /** SyncAnswer requestId */
            requestId?: (string|null);

            /** SyncAnswer conversation */
            conversation?: (string|null);

            /** SyncAnswer messages */
            messages?: (parley.v1.IMsgNotify[]|null);

            /** SyncAnswer hasMore */
            hasMore?: (boolean|null);

            /** SyncAnswer latest */
            latest?: (parley.v1.IPosition|null);

            /** SyncAnswer reset */
            reset?: (boolean|null);
        }

        /** Represents a SyncAnswer. */
        class SyncAnswer implements ISyncAnswer {

            /**
             * Constructs a new SyncAnswer.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.ISyncAnswer);

            /** SyncAnswer requestId. */
            public requestId: string;

            /** SyncAnswer conversation. */
            public conversation: string;

            /** SyncAnswer messages. */
            public messages: parley.v1.IMsgNotify[];

            /** SyncAnswer hasMore. */
            public hasMore: boolean;

            /** SyncAnswer latest. */
            public latest?: (parley.v1.IPosition|null);

            /** SyncAnswer reset. */
            public reset: boolean;

            /**
             * Creates a new SyncAnswer instance using the specified properties.
             * @param [properties] Properties to set
             * @returns SyncAnswer instance
             */
            public static create(properties?: parley.v1.ISyncAnswer): parley.v1.SyncAnswer;

            /**
             * Encodes the specified SyncAnswer message. Does not implicitly {@link parley.v1.SyncAnswer.verify|verify} messages.
             * @param message SyncAnswer message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.ISyncAnswer, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SyncAnswer message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns SyncAnswer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.SyncAnswer;

            /**
             * Gets the default type url for SyncAnswer
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a ConversationsRequest. */
        interface IConversationsRequest {

            /** ConversationsRequest requestId */
            requestId?: (string|null);

            /** ConversationsRequest limit */
            limit?: (number|null);
        }

        /** Represents a ConversationsRequest. */
        class ConversationsRequest implements IConversationsRequest {

            /**
             * Constructs a new ConversationsRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IConversationsRequest);

            /** ConversationsRequest requestId. */
            public requestId: string;

            /** ConversationsRequest limit. */
            public limit: number;

            /**
             * Creates a new ConversationsRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ConversationsRequest instance
             */
            public static create(properties?: parley.v1.IConversationsRequest): parley.v1.ConversationsRequest;

            /**
             * Encodes the specified ConversationsRequest message. Does not implicitly {@link parley.v1.ConversationsRequest.verify|verify} messages.
             * @param message ConversationsRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IConversationsRequest, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ConversationsRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ConversationsRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.ConversationsRequest;

            /**
             * Gets the default type url for ConversationsRequest
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a ConversationSummary. */
        interface IConversationSummary {

            /** ConversationSummary conversation */
            conversation?: (string|null);

            /** ConversationSummary latest */
            latest?: (parley.v1.IPosition|null);

            /** ConversationSummary acked */
            acked?: (parley.v1.IPosition|null);

            /** ConversationSummary lastActivityMs */
            lastActivityMs?: (number|null);
        }

        /** Represents a ConversationSummary. */
        class ConversationSummary implements IConversationSummary {

            /**
             * Constructs a new ConversationSummary.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IConversationSummary);

            /** ConversationSummary conversation. */
            public conversation: string;

            /** ConversationSummary latest. */
            public latest?: (parley.v1.IPosition|null);

            /** ConversationSummary acked. */
            public acked?: (parley.v1.IPosition|null);

            /** ConversationSummary lastActivityMs. */
            public lastActivityMs: number;

            /**
             * Creates a new ConversationSummary instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ConversationSummary instance
             */
            public static create(properties?: parley.v1.IConversationSummary): parley.v1.ConversationSummary;

            /**
             * Encodes the specified ConversationSummary message. Does not implicitly {@link parley.v1.ConversationSummary.verify|verify} messages.
             * @param message ConversationSummary message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IConversationSummary, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ConversationSummary message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ConversationSummary
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.ConversationSummary;

            /**
             * Gets the default type url for ConversationSummary
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a ConversationsAnswer. */
        interface IConversationsAnswer {

            /** ConversationsAnswer requestId */
            requestId?: (string|null);

            /** ConversationsAnswer conversations */
            conversations?: (parley.v1.IConversationSummary[]|null);
        }

        /** Represents a ConversationsAnswer. */
        class ConversationsAnswer implements IConversationsAnswer {

            /**
             * Constructs a new ConversationsAnswer.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IConversationsAnswer);

            /** ConversationsAnswer requestId. */
            public requestId: string;

            /** ConversationsAnswer conversations. */
            public conversations: parley.v1.IConversationSummary[];

            /**
             * Creates a new ConversationsAnswer instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ConversationsAnswer instance
             */
            public static create(properties?: parley.v1.IConversationsAnswer): parley.v1.ConversationsAnswer;

            /**
             * Encodes the specified ConversationsAnswer message. Does not implicitly {@link parley.v1.ConversationsAnswer.verify|verify} messages.
             * @param message ConversationsAnswer message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IConversationsAnswer, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ConversationsAnswer message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ConversationsAnswer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.ConversationsAnswer;

            /**
             * Gets the default type url for ConversationsAnswer
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of an Origin. */
        interface IOrigin {

            /** Origin gatewayId */
            gatewayId?: (string|null);

            /** Origin connectionId */
            connectionId?: (string|null);

            /** Origin userId */
            userId?: (string|null);

            /** Origin receivedAtMs */
            receivedAtMs?: (number|null);

            /** Origin deviceId */
            deviceId?: (string|null);
        }

        /** Represents an Origin. */
        class Origin implements IOrigin {

            /**
             * Constructs a new Origin.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IOrigin);

            /** Origin gatewayId. */
            public gatewayId: string;

            /** Origin connectionId. */
            public connectionId: string;

            /** Origin userId. */
            public userId: string;

            /** Origin receivedAtMs. */
            public receivedAtMs: number;

            /** Origin deviceId. */
            public deviceId: string;

            /**
             * Creates a new Origin instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Origin instance
             */
            public static create(properties?: parley.v1.IOrigin): parley.v1.Origin;

            /**
             * Encodes the specified Origin message. Does not implicitly {@link parley.v1.Origin.verify|verify} messages.
             * @param message Origin message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IOrigin, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Origin message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Origin
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.Origin;

            /**
             * Gets the default type url for Origin
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a ClientPacket. */
        interface IClientPacket {

            /** ClientPacket origin */
            origin?: (parley.v1.IOrigin|null);

            /** ClientPacket frame */
            frame?: (parley.v1.IFrame|null);
        }

        /** Represents a ClientPacket. */
        class ClientPacket implements IClientPacket {

            /**
             * Constructs a new ClientPacket.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IClientPacket);

            /** ClientPacket origin. */
            public origin?: (parley.v1.IOrigin|null);

            /** ClientPacket frame. */
            public frame?: (parley.v1.IFrame|null);

            /**
             * Creates a new ClientPacket instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ClientPacket instance
             */
            public static create(properties?: parley.v1.IClientPacket): parley.v1.ClientPacket;

            /**
             * Encodes the specified ClientPacket message. Does not implicitly {@link parley.v1.ClientPacket.verify|verify} messages.
             * @param message ClientPacket message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IClientPacket, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ClientPacket message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns ClientPacket
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.ClientPacket;

            /**
             * Gets the default type url for ClientPacket
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a StoredMessage. */
        interface IStoredMessage {

            /** StoredMessage conversation */
            conversation?: (string|null);

            /** StoredMessage position */
            position?: (parley.v1.IPosition|null);

            /** StoredMessage msgId */
            msgId?: (string|null);

            /** StoredMessage fromUser */
            fromUser?: (string|null);

            /** StoredMessage toUsers */
            toUsers?: (string[]|null);

            /** StoredMessage payload */
            payload?: (Uint8Array|null);

            /** StoredMessage serverTimeMs */
            serverTimeMs?: (number|null);

            /** StoredMessage clientSeq */
            clientSeq?: (number|null);

            /** StoredMessage receivedAtMs */
            receivedAtMs?: (number|null);
        }

        /** Represents a StoredMessage. */
        class StoredMessage implements IStoredMessage {

            /**
             * Constructs a new StoredMessage.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IStoredMessage);

            /** StoredMessage conversation. */
            public conversation: string;

            /** StoredMessage position. */
            public position?: (parley.v1.IPosition|null);

            /** StoredMessage msgId. */
            public msgId: string;

            /** StoredMessage fromUser. */
            public fromUser: string;

            /** StoredMessage toUsers. */
            public toUsers: string[];

            /** StoredMessage payload. */
            public payload: Uint8Array;

            /** StoredMessage serverTimeMs. */
            public serverTimeMs: number;

            /** StoredMessage clientSeq. */
            public clientSeq: number;

            /** StoredMessage receivedAtMs. */
            public receivedAtMs: number;

            /**
             * Creates a new StoredMessage instance using the specified properties.
             * @param [properties] Properties to set
             * @returns StoredMessage instance
             */
            public static create(properties?: parley.v1.IStoredMessage): parley.v1.StoredMessage;

            /**
             * Encodes the specified StoredMessage message. Does not implicitly {@link parley.v1.StoredMessage.verify|verify} messages.
             * @param message StoredMessage message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IStoredMessage, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a StoredMessage message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns StoredMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.StoredMessage;

            /**
             * Gets the default type url for StoredMessage
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a Sequenced. */
        interface ISequenced {

            /** Sequenced message */
            message?: (parley.v1.IStoredMessage|null);

            /** Sequenced duplicate */
            duplicate?: (boolean|null);

            /** Sequenced origin */
            origin?: (parley.v1.IOrigin|null);
        }

        /** Represents a Sequenced. */
        class Sequenced implements ISequenced {

            /**
             * Constructs a new Sequenced.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.ISequenced);

            /** Sequenced message. */
            public message?: (parley.v1.IStoredMessage|null);

            /** Sequenced duplicate. */
            public duplicate: boolean;

            /** Sequenced origin. */
            public origin?: (parley.v1.IOrigin|null);

            /**
             * Creates a new Sequenced instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Sequenced instance
             */
            public static create(properties?: parley.v1.ISequenced): parley.v1.Sequenced;

            /**
             * Encodes the specified Sequenced message. Does not implicitly {@link parley.v1.Sequenced.verify|verify} messages.
             * @param message Sequenced message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.ISequenced, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Sequenced message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns Sequenced
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.Sequenced;

            /**
             * Gets the default type url for Sequenced
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a DeliveryCommand. */
        interface IDeliveryCommand {

            /** DeliveryCommand sequenced */
            sequenced?: (parley.v1.ISequenced|null);

            /** DeliveryCommand client */
            client?: (parley.v1.IClientPacket|null);
        }

        /** Represents a DeliveryCommand. */
        class DeliveryCommand implements IDeliveryCommand {

            /**
             * Constructs a new DeliveryCommand.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IDeliveryCommand);

            /** DeliveryCommand sequenced. */
            public sequenced?: (parley.v1.ISequenced|null);

            /** DeliveryCommand client. */
            public client?: (parley.v1.IClientPacket|null);

            /** DeliveryCommand command. */
            public command?: ("sequenced"|"client");

            /**
             * Creates a new DeliveryCommand instance using the specified properties.
             * @param [properties] Properties to set
             * @returns DeliveryCommand instance
             */
            public static create(properties?: parley.v1.IDeliveryCommand): parley.v1.DeliveryCommand;

            /**
             * Encodes the specified DeliveryCommand message. Does not implicitly {@link parley.v1.DeliveryCommand.verify|verify} messages.
             * @param message DeliveryCommand message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IDeliveryCommand, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DeliveryCommand message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns DeliveryCommand
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.DeliveryCommand;

            /**
             * Gets the default type url for DeliveryCommand
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a DownlinkItem. */
        interface IDownlinkItem {

            /** DownlinkItem userId */
            userId?: (string|null);

            /** DownlinkItem connectionId */
            connectionId?: (string|null);

            /** DownlinkItem frame */
            frame?: (Uint8Array|null);

            /** DownlinkItem moreUserIds */
            moreUserIds?: (string[]|null);

            /** DownlinkItem exceptConnectionId */
            exceptConnectionId?: (string|null);
        }

        /** Represents a DownlinkItem. */
        class DownlinkItem implements IDownlinkItem {

            /**
             * Constructs a new DownlinkItem.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IDownlinkItem);

            /** DownlinkItem userId. */
            public userId: string;

            /** DownlinkItem connectionId. */
            public connectionId: string;

            /** DownlinkItem frame. */
            public frame: Uint8Array;

            /** DownlinkItem moreUserIds. */
            public moreUserIds: string[];

            /** DownlinkItem exceptConnectionId. */
            public exceptConnectionId: string;

            /**
             * Creates a new DownlinkItem instance using the specified properties.
             * @param [properties] Properties to set
             * @returns DownlinkItem instance
             */
            public static create(properties?: parley.v1.IDownlinkItem): parley.v1.DownlinkItem;

            /**
             * Encodes the specified DownlinkItem message. Does not implicitly {@link parley.v1.DownlinkItem.verify|verify} messages.
             * @param message DownlinkItem message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IDownlinkItem, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DownlinkItem message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns DownlinkItem
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.DownlinkItem;

            /**
             * Gets the default type url for DownlinkItem
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a DownlinkBatch. */
        interface IDownlinkBatch {

            /** DownlinkBatch items */
            items?: (parley.v1.IDownlinkItem[]|null);
        }

        /** Represents a DownlinkBatch. */
        class DownlinkBatch implements IDownlinkBatch {

            /**
             * Constructs a new DownlinkBatch.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IDownlinkBatch);

            /** DownlinkBatch items. */
            public items: parley.v1.IDownlinkItem[];

            /**
             * Creates a new DownlinkBatch instance using the specified properties.
             * @param [properties] Properties to set
             * @returns DownlinkBatch instance
             */
            public static create(properties?: parley.v1.IDownlinkBatch): parley.v1.DownlinkBatch;

            /**
             * Encodes the specified DownlinkBatch message. Does not implicitly {@link parley.v1.DownlinkBatch.verify|verify} messages.
             * @param message DownlinkBatch message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IDownlinkBatch, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DownlinkBatch message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns DownlinkBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.DownlinkBatch;

            /**
             * Gets the default type url for DownlinkBatch
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a GroupSnapshot. */
        interface IGroupSnapshot {

            /** GroupSnapshot conversation */
            conversation?: (string|null);

            /** GroupSnapshot members */
            members?: (string[]|null);

            /** GroupSnapshot version */
            version?: (number|null);
        }

        /** Represents a GroupSnapshot. */
        class GroupSnapshot implements IGroupSnapshot {

            /**
             * Constructs a new GroupSnapshot.
             * @param [properties] Properties to set
             */
            constructor(properties?: parley.v1.IGroupSnapshot);

            /** GroupSnapshot conversation. */
            public conversation: string;

            /** GroupSnapshot members. */
            public members: string[];

            /** GroupSnapshot version. */
            public version: number;

            /**
             * Creates a new GroupSnapshot instance using the specified properties.
             * @param [properties] Properties to set
             * @returns GroupSnapshot instance
             */
            public static create(properties?: parley.v1.IGroupSnapshot): parley.v1.GroupSnapshot;

            /**
             * Encodes the specified GroupSnapshot message. Does not implicitly {@link parley.v1.GroupSnapshot.verify|verify} messages.
             * @param message GroupSnapshot message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: parley.v1.IGroupSnapshot, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a GroupSnapshot message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns GroupSnapshot
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): parley.v1.GroupSnapshot;

            /**
             * Gets the default type url for GroupSnapshot
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }
    }
}
